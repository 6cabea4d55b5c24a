import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunestoneError } from '../../core/errors.ts';
import { previewStack } from '../../engine/index.ts';
import { buildPreviewDocument } from '../../report/index.ts';
import { EXIT } from '../exit-codes.ts';
import { COMMON_OPTIONS, HOST_OPTIONS, STACK_OPTIONS } from '../options.ts';
import { setUpRun } from '../run-setup.ts';
import { SAVED_PLAN_KIND } from '../saved-plan-file.ts';
import type { Verb } from '../verb.ts';

/** `runestone preview`: what would change, drift included; changes nothing. */
export const PREVIEW_VERB: Verb = {
  name: 'preview',
  summary: 'Show what commit would change, drift included (changes nothing)',
  usage: 'runestone preview [-f FILE|DIR] [--var NAME=VALUE] [--output text|json|markdown] [--out FILE] [--detect-changes]',
  description:
    'Reads live state through every provider, compares it with the configuration and prints drift (live differs from config) and\n' +
    'the changes commit would make, in Option A form. Nothing is changed. --out saves the preview as a plan for commit --plan.',
  options: [...STACK_OPTIONS, ...HOST_OPTIONS, 'output', 'out', 'events', 'target', 'parallelism', 'detectChanges', ...COMMON_OPTIONS],
  examples: ['runestone preview', 'runestone preview -f examples/local --output markdown > plan.md', 'runestone preview --out plan.json && runestone commit --plan plan.json', 'runestone preview --detect-changes  # exit 4 when anything is pending', 'runestone preview -i inventory.yaml --on web1,web2'],
  async run(ctx) {
    const setup = await setUpRun(ctx);
    try {
      const outcome = await previewStack(setup.runOptions);
      if (ctx.options.out !== undefined) {
        const file = path.resolve(ctx.cwd, ctx.options.out);
        const document = {
          apiVersion: 'runestone.dev/v1',
          kind: SAVED_PLAN_KIND,
          stack: setup.stack.plan.stack,
          configHash: setup.stack.plan.configHash,
          liveFingerprints: outcome.changeSet.liveFingerprints,
          preview: buildPreviewDocument(outcome.changeSet, { redactor: setup.redactor }),
        };
        try {
          writeFileSync(file, `${JSON.stringify(setup.redactor.redact(document), null, 2)}\n`);
        } catch (error) {
          throw new RunestoneError('RS_CLI_E0005', `Cannot write plan file "${ctx.options.out}": ${(error as Error).message}`, { cause: error });
        }
        if (setup.format === 'text') ctx.terminal.stderr.write(`Saved plan to ${ctx.options.out}\n`);
      }
      const pending = outcome.counts.create + outcome.counts.update + outcome.counts.replace + outcome.counts.delete + outcome.counts.drift;
      if (setup.unreachable.length > 0) return EXIT.failed;
      return ctx.options.detectChanges && pending > 0 ? EXIT.pending : EXIT.ok;
    } finally {
      setup.close();
    }
  },
};

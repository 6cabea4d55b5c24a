import { dismantleStack, previewStack } from '../../engine/index.ts';
import { askApproval, hasWork } from '../approval.ts';
import { EXIT } from '../exit-codes.ts';
import { COMMON_OPTIONS, HOST_OPTIONS, STACK_OPTIONS } from '../options.ts';
import { exitCodeFor, setUpRun } from '../run-setup.ts';
import type { Verb } from '../verb.ts';

/** `runestone dismantle`: delete everything the stack owns, in reverse dependency order. */
export const DISMANTLE_VERB: Verb = {
  name: 'dismantle',
  summary: 'Delete everything the stack owns, in reverse dependency order',
  usage: 'runestone dismantle [-f FILE|DIR] [--yes] [--target ADDRESS]',
  description:
    'Finds every resource the stack owns (declared or discovered) and deletes it after its dependents, asking for approval on a\n' +
    'terminal unless --yes. --target limits it to ADDRESS and what depends on it.',
  options: [...STACK_OPTIONS, ...HOST_OPTIONS, 'yes', 'output', 'events', 'target', 'parallelism', 'timeout', ...COMMON_OPTIONS],
  examples: ['runestone dismantle', 'runestone dismantle --yes', 'runestone dismantle --target host:file.motd --yes'],
  async run(ctx) {
    const setup = await setUpRun(ctx, { announcePlan: ctx.options.yes });
    try {
      if (!ctx.options.yes) {
        const preview = await previewStack({ ...setup.runOptions, intent: 'dismantle', listeners: [], history: undefined });
        if (!hasWork(preview.changeSet)) {
          ctx.terminal.stdout.write('Nothing to dismantle: the stack owns no resources.\n');
          return EXIT.ok;
        }
        if (!(await askApproval(ctx, setup, preview.changeSet, 'Delete these resources?'))) {
          ctx.terminal.stderr.write('Dismantle cancelled; nothing was changed.\n');
          return EXIT.ok;
        }
      }
      const outcome = await dismantleStack(setup.runOptions);
      return exitCodeFor(outcome.summary, setup);
    } finally {
      setup.close();
    }
  },
};

import { commitStack, previewStack } from '../../engine/index.ts';
import { askApproval, hasWork } from '../approval.ts';
import { EXIT } from '../exit-codes.ts';
import { COMMON_OPTIONS, HOST_OPTIONS, STACK_OPTIONS } from '../options.ts';
import { exitCodeFor, setUpRun } from '../run-setup.ts';
import { printHostSummary } from '../host-summary.ts';
import { printOutputs } from '../print-outputs.ts';
import { readSavedPlan } from '../saved-plan-file.ts';
import type { Verb } from '../verb.ts';

/** `runestone commit`: apply the changes along the dependency graph. */
export const COMMIT_VERB: Verb = {
  name: 'commit',
  summary: 'Apply the changes, in parallel along the dependency graph',
  usage: 'runestone commit [-f FILE|DIR] [--yes] [--plan FILE] [--graph] [--parallelism N] [--target ADDRESS]',
  description:
    'Re-plans against live state and applies creates, updates, replacements and removals in dependency order, running independent\n' +
    'branches in parallel. Asks for approval on a terminal unless --yes. With --plan it applies a saved preview, refusing when the\n' +
    'configuration or live state moved since. A failed change skips what depends on it; other branches finish. Exit 3 if any change failed.',
  options: [...STACK_OPTIONS, ...HOST_OPTIONS, 'yes', 'plan', 'graph', 'output', 'events', 'target', 'parallelism', 'timeout', ...COMMON_OPTIONS],
  examples: ['runestone commit', 'runestone commit --yes --graph', 'runestone commit --plan plan.json', 'runestone commit --target host:file.motd --yes', 'runestone commit -i inventory.yaml --on group:web --yes  # host resources on each web host over SSH'],
  async run(ctx) {
    const approvalNeeded = ctx.options.plan === undefined && !ctx.options.yes;
    const setup = await setUpRun(ctx, { announcePlan: !approvalNeeded });
    try {
      let savedPlan = ctx.options.plan === undefined ? undefined : readSavedPlan(ctx.options.plan, ctx.cwd, setup.stack.plan.stack);
      if (approvalNeeded) {
        const preview = await previewStack({ ...setup.runOptions, listeners: [], history: undefined });
        if (!hasWork(preview.changeSet)) {
          ctx.terminal.stdout.write('No changes. Infrastructure matches the configuration.\n');
          return EXIT.ok;
        }
        if (!(await askApproval(ctx, setup, preview.changeSet, 'Commit these changes?'))) {
          ctx.terminal.stderr.write('Commit cancelled; nothing was changed.\n');
          return EXIT.ok;
        }
        // What was approved is what runs: commit refuses if live state moved meanwhile.
        savedPlan = { configHash: setup.stack.plan.configHash, liveFingerprints: preview.changeSet.liveFingerprints };
      }
      const outcome = await commitStack({ ...setup.runOptions, ...(savedPlan === undefined ? {} : { savedPlan }) });
      if (setup.format === 'text') {
        printOutputs(ctx.terminal.stdout, outcome.outputs, setup.redactor);
        printHostSummary(ctx.terminal.stdout, { plan: setup.stack.plan, hosts: setup.hosts, unreachable: setup.unreachable, results: outcome.results });
      }
      return exitCodeFor(outcome.summary, setup);
    } finally {
      setup.close();
    }
  },
};

import { RunestoneError } from '../../core/errors.ts';
import { alignStack, type AlignOutcome } from '../../engine/index.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { COMMON_OPTIONS, HOST_OPTIONS, STACK_OPTIONS } from '../options.ts';
import { parseDuration } from '../parse-args.ts';
import { exitCodeFor, setUpRun } from '../run-setup.ts';
import type { Verb } from '../verb.ts';

/** `runestone align`: one reconciliation pass (or a loop with --watch) under each driftPolicy. */
export const ALIGN_VERB: Verb = {
  name: 'align',
  summary: 'Heal drift under each resource driftPolicy (once, or continuously with --watch)',
  usage: 'runestone align [-f FILE|DIR] [--auto-heal=true|false] [--watch --interval 30s] [--target ADDRESS]',
  description:
    'Reads live state and brings drifted resources back to the configuration: resources with driftPolicy.autoHeal (the default) are\n' +
    'fixed, notifyOnly ones only reported, and missing ones created. Removals are never done by align (run commit). With\n' +
    '--auto-heal=false nothing is changed and drift is only reported. --watch repeats every --interval until interrupted.',
  options: [...STACK_OPTIONS, ...HOST_OPTIONS, 'autoHeal', 'watch', 'interval', 'output', 'events', 'target', 'parallelism', 'timeout', ...COMMON_OPTIONS],
  examples: ['runestone align', 'runestone align --auto-heal=false', 'runestone align --watch --interval 30s'],
  async run(ctx) {
    const autoHeal = parseAutoHeal(ctx.options.autoHeal);
    const interval = parseDuration(ctx.options.interval ?? '30s', 'interval');
    let exit: ExitCode = EXIT.ok;
    for (;;) {
      // Each pass reloads the config, so edits made while watching are picked up.
      const setup = await setUpRun(ctx);
      let outcome: AlignOutcome;
      try {
        outcome = await alignStack({ ...setup.runOptions, autoHeal });
      } finally {
        setup.close();
      }
      exit = exitCodeFor(outcome.summary, setup);
      if (!ctx.options.watch || ctx.signal.aborted) break;
      ctx.terminal.stderr.write(`Next align pass in ${ctx.options.interval ?? '30s'} (Ctrl-C to stop)\n`);
      if (!(await sleep(interval, ctx.signal))) break;
    }
    return ctx.options.watch && ctx.signal.aborted && exit === EXIT.interrupted ? EXIT.ok : exit;
  },
};

function parseAutoHeal(value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new RunestoneError('RS_CLI_E0002', `Invalid value for --auto-heal: "${value}"`, { hint: 'Write --auto-heal=true or --auto-heal=false' });
}

// Resolves true after `ms`, or false as soon as the signal aborts.
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

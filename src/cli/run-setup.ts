import { userInfo } from 'node:os';
import { describeCode } from '../core/codes/index.ts';
import { RunestoneError } from '../core/errors.ts';
import type { Redactor } from '../core/redactor.ts';
import { redactorFor, type EventListener, type StackRunOptions } from '../engine/index.ts';
import { createConsoleReporter, createJsonlWriter, findReporter, listReporterNames, openJsonlFile, toEventListener, type Reporter } from '../report/index.ts';
import { openStore, type LocalStore } from '../store/index.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { parseDuration, parsePositiveInt } from './parse-args.ts';
import { printWarnings } from './print-warnings.ts';
import { connectHostTargets, type UnreachableHost } from './host-targets.ts';
import { loadStackContext, type StackContext } from './stack-context.ts';
import type { VerbContext } from './verb.ts';
import { didYouMean } from '../config/index.ts';

/** A stack ready to run: providers instantiated, store open, reporters chosen. */
export interface RunSetup {
  /** The stack, its plan spread over the `--on` hosts. */
  readonly stack: StackContext;
  /** `--on` hosts the plan covers (`local` and/or inventory names). */
  readonly hosts: readonly string[];
  /** `--on` hosts that did not answer; their resources are not in the plan. */
  readonly unreachable: readonly UnreachableHost[];
  readonly store: LocalStore;
  readonly redactor: Redactor;
  /** The reporter the user sees (console text, JSON or Markdown). */
  readonly reporter: Reporter;
  readonly format: OutputFormat;
  /** Engine options shared by every verb. */
  readonly runOptions: StackRunOptions;
  /** Flushes and closes files and ends SSH connections; call once. */
  close(): void;
}

/** `--output` values. */
export type OutputFormat = 'text' | 'json' | 'markdown';

/** Reads `--output`, refusing unknown names. */
export function readFormat(ctx: VerbContext): OutputFormat {
  const value = ctx.options.output ?? 'text';
  if (findReporter(value) === undefined) {
    const suggestion = didYouMean(value, listReporterNames());
    throw new RunestoneError('RS_CLI_E0002', `Invalid value for --output: "${value}"`, {
      hint: suggestion === undefined ? `Use one of ${listReporterNames().join(', ')}` : `Did you mean "${suggestion}"?`,
    });
  }
  return value as OutputFormat;
}

/**
 * Loads and plans the stack, connects to the `--on` hosts and spreads host resources over
 * them, opens the snapshot cache, instantiates every provider the plan uses, and builds
 * the reporters `--output` and `--events` ask for. Unreachable hosts are reported on stderr
 * and left out.
 */
export async function setUpRun(ctx: VerbContext, options: { readonly announcePlan?: boolean } = {}): Promise<RunSetup> {
  const format = readFormat(ctx);
  const loaded = loadStackContext(ctx);
  printWarnings(ctx.terminal.stderr, loaded.warnings);
  const hosts = await connectHostTargets(ctx, loaded.plan, loaded.hostDefaults);
  const stack: StackContext = { ...loaded, plan: hosts.plan };
  for (const { host, error } of hosts.unreachable) {
    const hint = error.hint ?? describeCode(error.code)?.hint;
    ctx.terminal.stderr.write(`error ${error.code}: ${error.message}\n  host "${host}" is left out of this run; the other hosts go on\n${hint === undefined ? '' : `  hint: ${hint}\n`}`);
  }
  for (const provider of stack.plan.providers) {
    const remote = hosts.providers.get(provider.name);
    if (remote === undefined) stack.registry.instantiate(provider.name, provider.type, provider.config);
    else stack.registry.adopt(provider.name, remote);
  }
  const store = openStore(stack.stateDir);
  const redactor = redactorFor(stack.plan);
  const reporter =
    format === 'text'
      ? createConsoleReporter({ writer: ctx.terminal.stdout, redactor, announcePlan: options.announcePlan ?? true, graph: ctx.options.graph })
      : (findReporter(format) ?? (() => ({})))({ writer: ctx.terminal.stdout, redactor });
  const reporters: Reporter[] = [reporter];
  let events: { close(): void } | undefined;
  if (ctx.options.events !== undefined) {
    const sink = ctx.options.events === '-' ? { write: (text: string): void => { ctx.terminal.stderr.write(text); }, close: (): void => undefined } : openJsonlFile(ctx.options.events);
    events = sink;
    reporters.push(createJsonlWriter(sink, { redactor }));
  }
  const listeners: EventListener[] = [toEventListener(reporters)];
  const runOptions: StackRunOptions = {
    plan: stack.plan,
    registry: stack.registry,
    store: store.snapshots,
    history: store.history,
    user: safeUser(),
    signal: ctx.signal,
    parallelism: ctx.options.parallelism === undefined ? 10 : parsePositiveInt(ctx.options.parallelism, 'parallelism'),
    ...(ctx.options.timeout === undefined ? {} : { nodeTimeoutMs: parseDuration(ctx.options.timeout, 'timeout') }),
    targets: ctx.options.target,
    listeners,
    onListenerError: (error) => {
      ctx.terminal.stderr.write(`warning ${error.code}: ${error.message}\n`);
    },
  };
  return {
    stack,
    hosts: hosts.hosts,
    unreachable: hosts.unreachable,
    store,
    redactor,
    reporter,
    format,
    runOptions,
    close: () => {
      events?.close();
      store.close();
      // ssh2 ends the connections on its own; nothing to wait for before exiting.
      void hosts.close();
    },
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'unknown';
  }
}

/** Exit code for a finished execution: 3 when something failed or a host was unreachable, 130 when interrupted. */
export function exitCodeFor(summary: { readonly failed: number; readonly aborted: boolean }, setup?: Pick<RunSetup, 'unreachable'>): ExitCode {
  if (summary.failed > 0 || (setup?.unreachable.length ?? 0) > 0) return EXIT.failed;
  if (summary.aborted) return EXIT.interrupted;
  return EXIT.ok;
}

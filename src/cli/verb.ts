import type { ExitCode } from './exit-codes.ts';
import type { CliOptions } from './options.ts';
import type { Terminal } from './terminal.ts';

/** What a verb gets: parsed options, positional arguments, the terminal and the process context. */
export interface VerbContext {
  readonly options: CliOptions;
  readonly args: readonly string[];
  readonly terminal: Terminal;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on the first Ctrl-C. */
  readonly signal: AbortSignal;
}

/** One CLI verb: its docs, the options it accepts and what it does. */
export interface Verb {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Longer text for `runestone <verb> --help`. */
  readonly description: string;
  readonly options: readonly (keyof CliOptions)[];
  /** Example command lines shown in help. */
  readonly examples: readonly string[];
  run(ctx: VerbContext): Promise<ExitCode>;
}

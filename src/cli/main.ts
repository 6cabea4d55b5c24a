import { readFileSync } from 'node:fs';
import { RunestoneError } from '../core/errors.ts';
import { didYouMean } from '../config/index.ts';
import { createStyle, formatDiagnostics, isUserError } from '../report/index.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { renderMainHelp, renderVerbHelp } from './help.ts';
import { parseVerbArgs } from './parse-args.ts';
import { readSourceFile } from './print-warnings.ts';
import { processTerminal, type Terminal } from './terminal.ts';
import { VERBS } from './verbs.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], options: { readonly terminal?: Terminal; readonly cwd?: string; readonly env?: Readonly<Record<string, string | undefined>>; readonly signal?: AbortSignal } = {}): Promise<ExitCode> {
  const env = options.env ?? process.env;
  const [first, ...rest] = argv;
  const wantsNoColor = argv.includes('--no-color');
  const terminal = options.terminal ?? processTerminal({ noColor: wantsNoColor, env });
  const debug = argv.includes('--debug');
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? VERBS.find((v) => v.name === rest[0]) : undefined;
      terminal.stdout.write(topic === undefined ? renderMainHelp(VERBS, VERSION) : renderVerbHelp(topic));
      return first === undefined ? EXIT.invalid : EXIT.ok;
    }
    if (first === '--version' || first === '-V' || first === 'version') {
      terminal.stdout.write(`runestone ${VERSION}\n`);
      return EXIT.ok;
    }
    const verb = VERBS.find((v) => v.name === first);
    if (verb === undefined) {
      const suggestion = didYouMean(first, VERBS.map((v) => v.name));
      const terraform: Readonly<Record<string, string>> = { init: 'bootstrap', plan: 'preview', apply: 'commit', destroy: 'dismantle', refresh: 'align' };
      const mapped = terraform[first];
      throw new RunestoneError('RS_CLI_E0001', `Unknown verb "${first}"`, {
        hint: mapped !== undefined ? `Runestone calls it "${mapped}": runestone ${mapped}` : suggestion === undefined ? 'Run `runestone --help` to see every verb' : `Did you mean "${suggestion}"?`,
      });
    }
    const { options: parsed, args } = parseVerbArgs(rest, verb.options, verb.name);
    if (parsed.help) {
      terminal.stdout.write(renderVerbHelp(verb));
      return EXIT.ok;
    }
    return await verb.run({ options: parsed, args, terminal, cwd: options.cwd ?? process.cwd(), env, signal: options.signal ?? new AbortController().signal });
  } catch (error) {
    const style = createStyle({ color: terminal.stderr.color });
    terminal.stderr.write(formatDiagnostics(error, { readSource: readSourceFile, style, debug }));
    return isUserError(error) ? EXIT.invalid : EXIT.internal;
  }
}

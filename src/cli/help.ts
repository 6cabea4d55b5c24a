import { EXIT, EXIT_MEANINGS } from './exit-codes.ts';
import { OPTION_SPECS, type CliOptions } from './options.ts';
import type { Verb } from './verb.ts';

/** `runestone --help`: every verb with its one-line summary. */
export function renderMainHelp(verbs: readonly Verb[], version: string): string {
  const width = Math.max(...verbs.map((v) => v.name.length));
  return [
    `Runestone ${version}: declarative, drift-aware infrastructure with no state file`,
    '',
    'Usage: runestone <verb> [options]',
    '',
    'Verbs:',
    ...verbs.map((verb) => `  ${verb.name.padEnd(width)}  ${verb.summary}`),
    '',
    'Global options:',
    '  -h, --help     Show help (runestone <verb> --help for a verb)',
    '  -V, --version  Print the version',
    '',
    'Exit codes:',
    ...Object.entries(EXIT).map(([name, code]) => `  ${String(code).padStart(3)}  ${EXIT_MEANINGS[name as keyof typeof EXIT]}`),
    '',
  ].join('\n');
}

/** `runestone <verb> --help`: usage, description, every option and examples. */
export function renderVerbHelp(verb: Verb): string {
  const rows = verb.options.map((key: keyof CliOptions) => {
    const spec = OPTION_SPECS[key];
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    const value = spec.valueName === undefined ? '' : ` ${spec.valueName}`;
    return { left: `${short}--${spec.flag}${value}`, right: spec.description };
  });
  const width = Math.max(...rows.map((row) => row.left.length));
  return [
    `Usage: ${verb.usage}`,
    '',
    verb.description,
    '',
    'Options:',
    ...rows.map((row) => `  ${row.left.padEnd(width)}  ${row.right}`),
    ...(verb.examples.length > 0 ? ['', 'Examples:', ...verb.examples.map((line) => `  ${line}`)] : []),
    '',
  ].join('\n');
}

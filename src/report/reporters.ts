import { createConsoleReporter } from './console-reporter.ts';
import { createDocumentReporter } from './document-reporter.ts';
import type { ReporterFactory } from './reporter.ts';

/**
 * The reporters `--output` selects by name. The JSONL event writer is not here: it is
 * added beside the chosen reporter by `--events FILE` (see `createJsonlWriter`).
 */
export const REPORTERS: ReadonlyMap<string, ReporterFactory> = new Map<string, ReporterFactory>([
  ['text', (context) => createConsoleReporter({ writer: context.writer, ...(context.redactor === undefined ? {} : { redactor: context.redactor }) })],
  ['json', (context) => createDocumentReporter('json', context)],
  ['markdown', (context) => createDocumentReporter('markdown', context)],
]);

/** Looks up a reporter factory by name; `undefined` for an unknown name (the CLI reports it as a usage error). */
export function findReporter(name: string): ReporterFactory | undefined {
  return REPORTERS.get(name);
}

/** The names `--output` accepts, for help text and did-you-mean suggestions. */
export function listReporterNames(): readonly string[] {
  return [...REPORTERS.keys()];
}

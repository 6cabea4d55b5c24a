import { describeCode, formatLocation, listErrors, RunestoneError } from '../core/index.ts';
import type { SourceLocation } from '../core/index.ts';
import { PLAIN_STYLE } from './style.ts';
import type { Style } from './style.ts';

/** Options for {@link formatDiagnostics}. */
export interface DiagnosticOptions {
  /** Returns a file's text for the code frame, or `undefined` when it cannot be read. */
  readonly readSource?: (file: string) => string | undefined;
  readonly style?: Style;
  /** Print stack traces and causes (`--debug`). */
  readonly debug?: boolean;
}

const INTERNAL_CODE = 'RS_INTERNAL_E0001';
const BUG_REPORT = 'This is a bug in Runestone: rerun with --debug and report it with the output';

/**
 * Formats any thrown value for the terminal. Runestone errors print as
 * `file:line:col: error RS_CODE: message`, then the include chain, a code frame with a caret
 * under the span, and `hint: ...`. Aggregates print every error and a count. Internal errors
 * (and anything not a `RunestoneError`) say they are a bug and ask for a report; stacks and
 * causes appear only with `debug`.
 *
 * @example
 * process.stderr.write(formatDiagnostics(error, { readSource: (f) => readFileSync(f, 'utf8') }));
 */
export function formatDiagnostics(error: unknown, options: DiagnosticOptions = {}): string {
  const errors = listErrors(error);
  if (errors.length === 0) return formatInternal(error, options);
  const blocks = errors.map((item) => formatDiagnostic(item, options));
  if (errors.length > 1) blocks.push(`Found ${errors.length} errors\n`);
  return blocks.join('\n');
}

/** Formats one Runestone error (see {@link formatDiagnostics}). */
export function formatDiagnostic(error: RunestoneError, options: DiagnosticOptions = {}): string {
  const style = options.style ?? PLAIN_STYLE;
  const internal = error.source === 'internal';
  const severity = internal ? 'internal error' : severityOf(error.code);
  const where = error.location === undefined ? '' : `${error.location.file}:${error.location.line}:${error.location.column}: `;
  const role = severity === 'warning' ? 'update' : severity === 'info' ? 'hint' : 'failed';
  const lines = [`${where}${style.paint(role, style.paint('bold', severity))} ${error.code}: ${error.message}`];
  if (error.location?.chain !== undefined && error.location.chain.length > 0) lines.push(`  include chain: ${formatLocation(error.location)}`);
  if (error.location !== undefined) {
    const source = options.readSource?.(error.location.file);
    if (source !== undefined) lines.push(...renderCodeFrame(source, error.location, { style }));
  }
  const hint = internal ? BUG_REPORT : (error.hint ?? describeCode(error.code)?.hint);
  if (hint !== undefined) lines.push(`${style.paint('hint', 'hint:')} ${hint}`);
  if (options.debug === true) lines.push(...debugLines(error));
  return `${lines.join('\n')}\n`;
}

function formatInternal(error: unknown, options: DiagnosticOptions): string {
  const style = options.style ?? PLAIN_STYLE;
  const message = describeThrown(error);
  const lines = [`${style.paint('failed', style.paint('bold', 'internal error'))} ${INTERNAL_CODE}: ${message}`, `${style.paint('hint', 'hint:')} ${BUG_REPORT}`];
  if (options.debug === true) lines.push(...debugLines(error));
  return `${lines.join('\n')}\n`;
}

function describeThrown(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  // JSON.stringify returns undefined for undefined, functions and symbols.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? typeof value;
}

function severityOf(code: string): 'error' | 'warning' | 'info' {
  const letter = /_([EWI])\d+$/.exec(code)?.[1];
  return letter === 'W' ? 'warning' : letter === 'I' ? 'info' : 'error';
}

function debugLines(error: unknown): string[] {
  const lines: string[] = [];
  let current: unknown = error;
  let depth = 0;
  // Causes can form a loop in hand-made errors; eight levels is more than any real chain.
  while (current !== undefined && depth < 8) {
    if (depth > 0) lines.push(`cause: ${describeThrown(current)}`);
    if (current instanceof Error && current.stack !== undefined) {
      lines.push(...current.stack.split('\n').filter((line) => line.trimStart().startsWith('at ')).map((line) => `    ${line.trim()}`));
    }
    current = current instanceof Error ? current.cause : undefined;
    depth += 1;
  }
  return lines;
}

/** Lines of source shown around an error: one before, up to five spanned, one after. */
const MAX_SPAN_LINES = 5;

/**
 * Renders a code frame: the error's lines with line numbers, `>` in the gutter of spanned
 * lines and a caret line under each (`^^^^` across the span; tabs are kept so carets line up).
 * Returns no lines when the location is outside the source.
 */
export function renderCodeFrame(source: string, location: SourceLocation, options: { readonly style?: Style } = {}): string[] {
  const style = options.style ?? PLAIN_STYLE;
  const lines = source.split(/\r?\n/);
  const first = location.line;
  if (first < 1 || first > lines.length) return [];
  const last = Math.min(location.endLine ?? first, first + MAX_SPAN_LINES - 1, lines.length);
  const from = Math.max(1, first - 1);
  const to = Math.min(lines.length, last + 1);
  const gutter = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n += 1) {
    const text = lines[n - 1] ?? '';
    const spanned = n >= first && n <= last;
    out.push(`${spanned ? '>' : ' '} ${String(n).padStart(gutter)} | ${text}`.trimEnd());
    if (!spanned) continue;
    const [start, end] = caretRange(text, n, location, first, last);
    const pad = Array.from(text.slice(0, start - 1), (char) => (char === '\t' ? '\t' : ' ')).join('');
    out.push(`  ${' '.repeat(gutter)} | ${pad}${style.paint('failed', '^'.repeat(Math.max(1, end - start)))}`);
  }
  return out;
}

/** The 1-based [start, end) columns to underline on line `n` of a span. */
function caretRange(text: string, n: number, location: SourceLocation, first: number, last: number): [number, number] {
  const lineEnd = text.length + 1;
  const indent = text.length - text.trimStart().length + 1;
  const endLine = location.endLine ?? first;
  const start = n === first ? location.column : indent;
  let end: number;
  if (n === endLine && location.endColumn !== undefined) end = location.endColumn;
  else if (n < endLine || n < last) end = lineEnd;
  else end = start + 1;
  return [start, Math.max(start + 1, Math.min(end, Math.max(lineEnd, start + 1)))];
}

/** True when an error is a Runestone error from the user's input (not a bug). */
export function isUserError(error: unknown): boolean {
  return error instanceof RunestoneError && error.source === 'user';
}

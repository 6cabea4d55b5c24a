import nunjucks from 'nunjucks';
import { posix } from 'node:path';
import { ProviderError } from '../../../core/index.ts';
import type { JsonObject, SourceLocation } from '../../../core/index.ts';

/** Where a template comes from: inline text, or a file on the controller. */
export type TemplateInput =
  | { readonly kind: 'inline'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string };

/**
 * Renders a Jinja-like template with nunjucks: autoescape off (these are config files, not
 * HTML) and `throwOnUndefined`, so a typo in a variable fails instead of writing an empty
 * string. `{% include %}` resolves from the template's directory, then `baseDir`.
 *
 * @throws ProviderError `RS_HOST_E0007` with the template line and column.
 */
export function renderTemplate(input: TemplateInput, vars: JsonObject, baseDir: string): string {
  const searchPaths = input.kind === 'file' ? [posix.dirname(input.path), baseDir] : [baseDir];
  // noCache: `align --watch` must see edited templates on the next pass.
  const loader = new nunjucks.FileSystemLoader(searchPaths, { noCache: true });
  const env = new nunjucks.Environment(loader, { autoescape: false, throwOnUndefined: true });
  try {
    return input.kind === 'file' ? env.render(input.path, vars) : env.renderString(input.text, vars);
  } catch (error) {
    throw toTemplateError(error, input);
  }
}

/** nunjucks puts the position only in the message: `(path) [Line 2, Column 3]\n  detail`. */
const POSITION = /^\((?<file>[^)]*)\)(?: \[Line (?<line>\d+), Column (?<column>\d+)\])?\s*(?<detail>[\s\S]*)$/;

function toTemplateError(error: unknown, input: TemplateInput): ProviderError {
  const raw = error instanceof Error ? error.message : String(error);
  const match = POSITION.exec(raw)?.groups;
  const file = match?.['file'] === undefined || match['file'] === 'unknown path' ? undefined : match['file'];
  const line = match?.['line'] === undefined ? undefined : Number(match['line']);
  const column = match?.['column'] === undefined ? undefined : Number(match['column']);
  const detail = (match?.['detail'] ?? raw).replace(/^Error: /, '').trim();
  const where = file ?? (input.kind === 'file' ? input.path : 'inline template');
  const position = line === undefined ? '' : ` line ${line}:${column ?? 1}`;
  const location: SourceLocation | undefined = file !== undefined && line !== undefined ? { file, line, column: column ?? 1 } : undefined;
  return new ProviderError('RS_HOST_E0007', `Cannot render template: ${where}${position}: ${detail}`, {
    cause: error,
    hint: 'Fix the template at that line and column, or define the missing variable in "vars"',
    ...(location === undefined ? {} : { location }),
  });
}

import { ExprError } from '../core/errors.ts';
import type { JsonValue } from '../core/json.ts';
import type { SourceLocation } from '../core/location.ts';
import { compileExpression, type CompiledExpression } from './compile.ts';
import type { Template } from './template.ts';
import { fromCel, interpolate } from './values.ts';

/** Maps an offset inside the YAML string to its file:line:col. */
export type LocateInString = (offset: number, length?: number) => SourceLocation;

/** Compiles an expression part, turning syntax errors into located `ExprError`s. */
export function compileAt(source: string, offset: number, locate: LocateInString): CompiledExpression {
  try {
    return compileExpression(source);
  } catch (error) {
    throw toExprError(error, source, offset, locate, 'parse');
  }
}

/**
 * Evaluates a template: a whole `${expr}` yields its typed value; mixed text yields a
 * string. `scope` values must already be CEL-ready (see `toCel`). Throws located `ExprError`s.
 */
export function evaluateTemplate(template: Template, scope: Readonly<Record<string, unknown>>, locate: LocateInString): JsonValue {
  if (template.isWholeExpression) {
    const part = template.parts[0];
    if (part?.kind === 'expr') return evaluatePart(part.source, part.offset, scope, locate);
  }
  let out = '';
  for (const part of template.parts) {
    out += part.kind === 'text' ? part.text : interpolate(evaluatePart(part.source, part.offset, scope, locate));
  }
  return out;
}

function evaluatePart(source: string, offset: number, scope: Readonly<Record<string, unknown>>, locate: LocateInString): JsonValue {
  const compiled = compileAt(source, offset, locate);
  try {
    return fromCel(compiled.evaluate(scope));
  } catch (error) {
    throw toExprError(error, source, offset, locate, 'evaluate', Object.keys(scope));
  }
}

/** Converts a cel-js error to an `ExprError` pointing at the character inside the YAML string. */
export function toExprError(
  error: unknown,
  source: string,
  offset: number,
  locate: LocateInString,
  phase: 'parse' | 'evaluate',
  known: readonly string[] = [],
): ExprError {
  if (error instanceof ExprError) return error;
  const details = error as { message?: unknown; node?: { start?: unknown; end?: unknown }; range?: { start?: unknown; end?: unknown } };
  const message = typeof details.message === 'string' ? (details.message.split('\n')[0] ?? details.message) : String(error);
  const start = typeof details.node?.start === 'number' ? details.node.start : typeof details.range?.start === 'number' ? details.range.start : 0;
  const end = typeof details.node?.end === 'number' ? details.node.end : start + 1;
  const location = locate(offset + start, Math.max(end - start, 1));
  const unknown = /^Unknown variable: (.+)$/.exec(message);
  if (unknown !== null) {
    const name = unknown[1] ?? '';
    return new ExprError('RS_EXPR_E0004', `Cannot evaluate "\${${source}}": unknown variable "${name}"`, {
      location,
      hint: known.length > 0 ? `Variables in scope: ${[...known].sort().join(', ')}` : 'Declare it under variables:',
      cause: error,
    });
  }
  if (phase === 'parse') {
    return new ExprError('RS_EXPR_E0001', `Cannot parse "\${${source}}": ${message}`, { location, hint: 'Expressions use CEL syntax, e.g. ${env == "prod" ? 3 : 1}', cause: error });
  }
  return new ExprError('RS_EXPR_E0002', `Cannot evaluate "\${${source}}": ${message}`, { location, cause: error });
}

/** A piece of a `${}` template: literal text, or an expression with its offset in the string. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'expr'; readonly source: string; readonly offset: number };

/** A parsed string: `${expr}` alone yields a typed value; anything else interpolates to a string. */
export interface Template {
  readonly raw: string;
  readonly parts: readonly TemplatePart[];
  /** True when the string is exactly one `${expr}`. */
  readonly isWholeExpression: boolean;
}

/** Where a template failed to parse: the offset of the unterminated `${`. */
export class TemplateSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/**
 * Parses `${...}` expressions out of a string; `$${` is a literal `${`. Returns `undefined`
 * when the string holds no expression and no escape (the common case, kept allocation-free).
 */
export function parseTemplate(raw: string): Template | undefined {
  if (!raw.includes('${')) return undefined;
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < raw.length) {
    if (raw.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (raw.startsWith('${', i)) {
      const end = findClosingBrace(raw, i + 2);
      if (end === -1) throw new TemplateSyntaxError('Unterminated "${": no closing "}"', i);
      if (text !== '') parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'expr', source: raw.slice(i + 2, end), offset: i + 2 });
      i = end + 1;
      continue;
    }
    text += raw.charAt(i);
    i += 1;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  const only = parts.length === 1 ? parts[0] : undefined;
  return { raw, parts, isWholeExpression: only?.kind === 'expr' };
}

// Skips string literals and nested braces (CEL map literals) to find the `}` that closes `${`.
function findClosingBrace(raw: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from; i < raw.length; i++) {
    const ch = raw[i];
    if (quote !== undefined) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{') depth += 1;
    else if (ch === '}') {
      if (depth === 0) return i;
      depth -= 1;
    }
  }
  return -1;
}

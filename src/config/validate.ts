import { ConfigError } from '../core/errors.ts';
import type { SchemaIssue } from '../schema/index.ts';
import { splitPointer } from '../schema/index.ts';
import { didYouMean } from './did-you-mean.ts';
import type { Locator } from './locator.ts';

/**
 * Turns schema issues about `value` (which sits at `at`) into located `ConfigError`s, with
 * what was found and a did-you-mean hint for unknown keys and enum values.
 */
export function issuesToErrors(issues: readonly SchemaIssue[], value: unknown, at: Locator, what: string): ConfigError[] {
  const seen = new Set<string>();
  const errors: ConfigError[] = [];
  for (const issue of pickIssues(issues)) {
    const key = `${issue.pointer}|${issue.keyword}|${issue.key ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(issueToError(issue, value, at, what));
  }
  return errors;
}

// oneOf/anyOf failures repeat every branch's complaint; keep the most specific ones.
function pickIssues(issues: readonly SchemaIssue[]): readonly SchemaIssue[] {
  const specific = issues.filter((issue) => issue.keyword !== 'oneOf' && issue.keyword !== 'anyOf' && issue.keyword !== 'if');
  const byPointer = new Map<string, SchemaIssue[]>();
  for (const issue of specific) byPointer.set(issue.pointer, [...(byPointer.get(issue.pointer) ?? []), issue]);
  const out: SchemaIssue[] = [];
  for (const group of byPointer.values()) {
    const types = group.filter((issue) => issue.keyword === 'type');
    if (types.length > 1) {
      out.push({ ...(types[0] as SchemaIssue), message: `Expected ${types.map((t) => t.message.replace(/^Expected /, '')).join(' or ')}` });
      out.push(...group.filter((issue) => issue.keyword !== 'type' && issue.keyword !== 'pattern'));
    } else {
      out.push(...group);
    }
  }
  return out.length > 0 ? out : issues;
}

function issueToError(issue: SchemaIssue, value: unknown, at: Locator, what: string): ConfigError {
  const place = at.at(issue.pointer);
  const path = describePath(issue.pointer);
  switch (issue.keyword) {
    case 'additionalProperties': {
      const suggestion = didYouMean(issue.key ?? '', issue.allowedKeys ?? []);
      // The unknown key's parent: nothing to add for a top-level key.
      const parent = describePath(issue.pointer.replace(/\/[^/]*$/, ''));
      return new ConfigError('RS_CONFIG_E0003', `Unknown key "${issue.key ?? ''}" in ${what}${parent === '' ? '' : ` at ${parent}`}`, {
        location: place.keyLocation(),
        hint:
          suggestion === undefined
            ? `Allowed keys: ${(issue.allowedKeys ?? []).join(', ')}`
            : `Did you mean "${suggestion}"? Allowed keys: ${(issue.allowedKeys ?? []).join(', ')}`,
      });
    }
    case 'required':
      return new ConfigError('RS_CONFIG_E0005', `Missing required key "${issue.key ?? ''}" in ${what}${path === '' ? '' : ` at ${path}`}`, {
        location: place.location(),
        hint: `Add ${issue.key ?? 'the key'}: to this map`,
      });
    case 'enum': {
      const found = valueAt(value, issue.pointer);
      const suggestion = typeof found === 'string' ? didYouMean(found, (issue.allowedValues ?? []).map(String)) : undefined;
      return new ConfigError('RS_CONFIG_E0004', `Invalid value for ${path || what}: ${issue.message}, found ${JSON.stringify(found)}`, {
        location: place.location(),
        ...(suggestion === undefined ? {} : { hint: `Did you mean "${suggestion}"?` }),
      });
    }
    default: {
      const found = valueAt(value, issue.pointer);
      return new ConfigError('RS_CONFIG_E0004', `Invalid value for ${path || what}: ${issue.message}, found ${describeFound(found)}`, {
        location: place.location(),
      });
    }
  }
}

/** `a.b[0].c` from `/a/b/0/c`. */
export function describePath(pointer: string): string {
  return splitPointer(pointer)
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

function valueAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const part of splitPointer(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Describes a found value: its type and, for scalars, the value itself. */
export function describeFound(found: unknown): string {
  if (found === undefined) return 'nothing';
  if (found === null) return 'null';
  if (Array.isArray(found)) return 'a list';
  if (typeof found === 'object') return 'a map';
  if (typeof found === 'string') return `the string ${JSON.stringify(found.length > 60 ? `${found.slice(0, 57)}...` : found)}`;
  return `the ${typeof found} ${JSON.stringify(found)}`;
}

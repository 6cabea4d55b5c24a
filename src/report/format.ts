import { SECRET_PLACEHOLDER } from '../core/index.ts';
import type { JsonValue } from '../core/index.ts';
import { splitPointerSafe } from './internal/pointer.ts';
import type { ChangeCounts, ChangeSet, DesiredState } from '../engine/changes.ts';
import type { FieldDiff } from '../providers/contract.ts';

/** What a value not known before commit prints as. */
export const UNKNOWN_PLACEHOLDER = '(known after commit)';

/** Longest rendering of one value before it is cut with an ellipsis. */
const MAX_VALUE_LENGTH = 60;

const UNKNOWN: unique symbol = Symbol('unknown');
type Shown = JsonValue | typeof UNKNOWN | readonly Shown[] | { readonly [key: string]: Shown };

/**
 * Formats a value for one line of human output: strings quoted, structures as compact JSON,
 * `(secret)` and `(known after commit)` bare, long values cut at a character that never
 * splits a `(secret)` placeholder.
 */
export function formatValue(value: JsonValue | undefined, options: { readonly unknown?: boolean; readonly max?: number } = {}): string {
  if (options.unknown === true) return UNKNOWN_PLACEHOLDER;
  if (value === undefined) return '(none)';
  return truncate(show(value), options.max ?? MAX_VALUE_LENGTH);
}

/** Formats a desired property with the unknown pointers below it (relative to the property). */
export function formatDesired(value: JsonValue, unknownPaths: readonly string[]): string {
  if (unknownPaths.includes('')) return UNKNOWN_PLACEHOLDER;
  let marked: Shown = value;
  for (const path of unknownPaths) marked = markUnknown(marked, splitPointerSafe(path));
  return truncate(show(marked), MAX_VALUE_LENGTH);
}

function markUnknown(value: Shown, keys: readonly string[]): Shown {
  const [head, ...rest] = keys;
  if (head === undefined) return UNKNOWN;
  if (Array.isArray(value)) {
    const items = value as readonly Shown[];
    const index = Number(head);
    return items.map((item, i) => (i === index ? markUnknown(item, rest) : item));
  }
  if (value !== null && typeof value === 'object') {
    const object = value as { readonly [key: string]: Shown };
    return { ...object, [head]: markUnknown(object[head] ?? null, rest) };
  }
  return value;
}

function show(value: Shown): string {
  if (value === UNKNOWN) return UNKNOWN_PLACEHOLDER;
  if (value === SECRET_PLACEHOLDER) return SECRET_PLACEHOLDER;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly Shown[]).map((item) => show(item)).join(', ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: Shown });
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${show(item)}`).join(', ')}}`;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  // Never split a placeholder: a half-printed "(sec" would look like a leaked value.
  const open = text.lastIndexOf(SECRET_PLACEHOLDER.charAt(0), cut);
  if (open !== -1 && text.startsWith(SECRET_PLACEHOLDER, open) && open + SECRET_PLACEHOLDER.length > cut) {
    cut = open + SECRET_PLACEHOLDER.length;
  }
  // A cut string keeps its closing quote, so `"abc…"` still reads as one value.
  if (text.startsWith('"') && text.endsWith('"')) return `${text.slice(0, cut)}…"`;
  return `${text.slice(0, cut)}…`;
}

/** Shows a JSON pointer as a field path: `/tags/env` → `tags/env`; the root is `(value)`. */
export function displayPath(pointer: string): string {
  return pointer === '' ? '(value)' : pointer.replace(/^\//, '');
}

/** One field diff as `path: before → after`, marking unknown values and forced replacement. */
export function formatFieldDiff(diff: FieldDiff): string {
  const before = diff.before === undefined ? '(none)' : formatValue(diff.before);
  const after = diff.unknownAfter === true ? UNKNOWN_PLACEHOLDER : diff.after === undefined ? '(removed)' : formatValue(diff.after);
  const forces = diff.forcesReplace ? ' (forces replacement)' : '';
  return `${displayPath(diff.path)}: ${before} → ${after}${forces}`;
}

/** Top-level properties of a desired state as `key: value` lines, unknown values marked. */
export function formatDesiredFields(state: DesiredState): string[] {
  return Object.entries(state.properties).map(([key, value]) => `${key}: ${formatDesired(value, unknownBelow(state, key))}`);
}

/** The unknown pointers inside one top-level property, relative to it. */
export function unknownBelow(state: DesiredState, key: string): string[] {
  const prefix = `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
  return state.unknownPaths.filter((path) => path === prefix || path.startsWith(`${prefix}/`)).map((path) => path.slice(prefix.length));
}

/** Pointers unknown at the top level whose key is absent from `properties` (still worth a line). */
export function missingUnknownFields(state: DesiredState): string[] {
  return state.unknownPaths
    .map((path) => splitPointerSafe(path))
    .filter((keys) => keys.length === 1 && !Object.hasOwn(state.properties, keys[0] ?? ''))
    .map((keys) => `${keys[0] ?? ''}: ${UNKNOWN_PLACEHOLDER}`);
}

/**
 * Formats a duration the way summaries print it: `12ms`, `1.2s`, `1m42s`, `1h02m`.
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  const minutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** `1 resource`, `2 resources`: the noun in the right number. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Counts a change set by kind; `drift` counts drift findings, not nodes. */
export function countChanges(changeSet: ChangeSet): ChangeCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, noop: 0, drift: 0 };
  for (const change of changeSet.changes) {
    if (change.change.kind === 'no-op') counts.noop += 1;
    else counts[change.change.kind] += 1;
    counts.drift += change.drift.length;
  }
  return counts;
}

import type { NodeId } from '../core/brands.ts';
import { isPlainObject, jsonEqual, type JsonObject, type JsonValue } from '../core/json.ts';
import type { DesiredResource, FieldDiff, KindHandler, LiveState } from '../providers/contract.ts';
import { escapePointer, splitPointer } from '../schema/index.ts';
import type { Change, DesiredState, DriftItem } from './changes.ts';
import { isUnderUnknown } from './resolve.ts';

/** Options for {@link diffProperties}. */
export interface DiffOptions {
  /** Top-level property names whose change forces replacement. */
  readonly forceReplace?: readonly string[];
  /** Pointers whose desired value is only known after commit. */
  readonly unknownPaths?: readonly string[];
}

/**
 * The engine's default structural diff, on managed fields only: every field present in
 * `desired` (or listed in `unknownPaths`) is compared with `live`; fields only live are not
 * managed and are ignored, except keys inside a managed nested map (an extra tag is reported
 * as `has extra tag "env=qa"`). Nested objects are compared key by key (`/tags/env`); arrays
 * and scalars as whole values. Pure.
 */
export function diffProperties(desired: JsonObject, live: JsonObject, options: DiffOptions = {}): FieldDiff[] {
  const forceReplace = options.forceReplace ?? [];
  const unknownPaths = options.unknownPaths ?? [];
  const diffs: FieldDiff[] = [];
  compareObject(desired, live, '', { forceReplace, unknownPaths }, diffs);
  // Unknown paths whose key is absent from `desired` (resolution leaves them out) still diff.
  for (const pointer of unknownPaths) {
    if (!diffs.some((d) => d.path === pointer || isUnderUnknown(d.path, [pointer]))) {
      diffs.push(unknownDiff(pointer, valueAt(live, pointer), forceReplace));
    }
  }
  return diffs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Diffs one resource: the kind's own `diff` when it has one, else {@link diffProperties}.
 * Unknown paths are added as `unknownAfter` diffs either way, and the kind's `forceReplace`
 * fields are marked.
 */
export function diffResource(handler: KindHandler, desired: DesiredResource, live: LiveState, unknownPaths: readonly string[]): FieldDiff[] {
  if (handler.diff === undefined) return diffProperties(desired.properties, live.properties, { forceReplace: handler.forceReplace, unknownPaths });
  const own = handler
    .diff(desired, live)
    .filter((d) => !isUnderUnknown(d.path, unknownPaths))
    .map((d) => (d.forcesReplace || !forcesReplace(d.path, handler.forceReplace) ? d : { ...d, forcesReplace: true }));
  const unknown = unknownPaths.map((pointer) => unknownDiff(pointer, valueAt(live.properties, pointer), handler.forceReplace));
  return [...own, ...unknown].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Classifies what happens to a node. `desired` absent means the node is not in config
 * (removal); `live` absent means it does not exist yet (creation).
 */
export function classifyChange(desired: DesiredState | undefined, live: LiveState | undefined, diff: readonly FieldDiff[]): Change {
  if (desired === undefined) {
    if (live === undefined) throw new Error('classifyChange needs a desired or a live state');
    return { kind: 'delete', before: live };
  }
  if (live === undefined) return { kind: 'create', after: desired };
  if (diff.length === 0) return { kind: 'no-op', before: live };
  const forcing = [...new Set(diff.filter((d) => d.forcesReplace).map((d) => topLevelKey(d.path)))];
  if (forcing.length > 0) {
    const fields = forcing.map((f) => `"${f}"`).join(', ');
    const reason = `changing ${fields} forces replacement`;
    return { kind: 'replace', before: live, after: desired, diff, reason };
  }
  return { kind: 'update', before: live, after: desired, diff };
}

/**
 * Drift findings for an existing resource: its known field diffs, each with a description
 * such as `mode is "0600" (expected "0644")`. Fields known only after commit are not drift.
 */
export function describeDrift(nodeId: NodeId, diff: readonly FieldDiff[]): DriftItem[] {
  return diff.filter((d) => d.unknownAfter !== true).map((d) => ({ nodeId, path: d.path, description: d.description ?? describeFieldDiff(d) }));
}

/** Default human text for a field diff: `mode is "0600" (expected "0644")`. */
export function describeFieldDiff(diff: FieldDiff): string {
  const label = splitPointer(diff.path).join('.');
  if (diff.unknownAfter === true) return `${label} will be known after commit`;
  if (diff.after === undefined) return `${label} is ${formatValue(diff.before)} (expected it to be absent)`;
  if (diff.before === undefined) return `${label} is not set (expected ${formatValue(diff.after)})`;
  return `${label} is ${formatValue(diff.before)} (expected ${formatValue(diff.after)})`;
}

interface Context {
  readonly forceReplace: readonly string[];
  readonly unknownPaths: readonly string[];
}

function compareObject(desired: JsonObject, live: JsonObject, pointer: string, ctx: Context, diffs: FieldDiff[]): void {
  for (const [key, want] of Object.entries(desired)) {
    const path = `${pointer}/${escapePointer(key)}`;
    if (isUnderUnknown(path, ctx.unknownPaths)) continue;
    const have = Object.hasOwn(live, key) ? live[key] : undefined;
    if (isPlainObject(want) && isPlainObject(have)) {
      compareObject(want, have, path, ctx, diffs);
      continue;
    }
    if (have !== undefined && jsonEqual(want, have)) continue;
    const diff: FieldDiff = { path, before: have, after: want, forcesReplace: forcesReplace(path, ctx.forceReplace) };
    // A key missing inside a nested map reads best as a missing entry: `is missing tag "env=prod"`.
    const missingEntry = have === undefined && pointer !== '';
    diffs.push(missingEntry ? { ...diff, description: `is missing ${describeEntry(pointer, key, want)}` } : diff);
  }
  // Inside a managed map (not at the top level), live keys config does not declare are reported.
  if (pointer === '') return;
  for (const [key, have] of Object.entries(live)) {
    if (Object.hasOwn(desired, key)) continue;
    const path = `${pointer}/${escapePointer(key)}`;
    if (isUnderUnknown(path, ctx.unknownPaths)) continue;
    diffs.push({
      path,
      before: have,
      after: undefined,
      forcesReplace: forcesReplace(path, ctx.forceReplace),
      description: `has extra ${describeEntry(pointer, key, have)}`,
    });
  }
}

function unknownDiff(pointer: string, before: JsonValue | undefined, forceReplace: readonly string[]): FieldDiff {
  return { path: pointer, before, after: undefined, forcesReplace: forcesReplace(pointer, forceReplace), unknownAfter: true };
}

function forcesReplace(path: string, forceReplace: readonly string[]): boolean {
  return forceReplace.includes(topLevelKey(path));
}

function topLevelKey(path: string): string {
  return splitPointer(path)[0] ?? '';
}

function valueAt(value: JsonObject, pointer: string): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of splitPointer(pointer)) {
    if (Array.isArray(current)) current = (current as readonly JsonValue[])[Number(key)];
    else if (isPlainObject(current)) current = Object.hasOwn(current, key) ? current[key] : undefined;
    else return undefined;
  }
  return current;
}

/** `tag "env=qa"` for a map named `tags` (`labels` → `label`), else `key "k=v" in config`. */
function describeEntry(mapPointer: string, key: string, value: JsonValue | undefined): string {
  const name = splitPointer(mapPointer).at(-1) ?? '';
  const entry = `"${key}=${typeof value === 'string' ? value : formatValue(value)}"`;
  if (name.length > 1 && name.endsWith('s')) return `${name.slice(0, -1)} ${entry}`;
  return `key ${entry} in ${name}`;
}

function formatValue(value: JsonValue | undefined): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}

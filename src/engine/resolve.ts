import type { JsonObject, JsonValue } from '../core/json.ts';
import type { AttributesLookup, DeferredValue, PlanValue, ResolvedValue } from '../plan/ir.ts';
import { escapePointer } from '../schema/index.ts';

/** True when `value` is a {@link DeferredValue} (a plain JSON `{kind: 'deferred'}` has no `evaluate`). */
export function isDeferredValue(value: unknown): value is DeferredValue {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    (value as { kind?: unknown }).kind === 'deferred' &&
    typeof (value as { evaluate?: unknown }).evaluate === 'function'
  );
}

/**
 * Resolves a plan value against known attributes. Every deferred leaf is evaluated; one
 * that returns `undefined` is unknown and its JSON pointer is listed in `unknownPaths`.
 * Unknown object members are left out of `value` and unknown array items become `null`
 * (keeping later indices stable), so `value` is plain JSON either way.
 *
 * Throws the `ExprError` a deferred expression throws.
 *
 * @example
 * resolveValue({ path: deferredSitePath }, () => undefined)
 * // => { value: {}, unknownPaths: ['/path'] }
 */
export function resolveValue(value: PlanValue, lookup: AttributesLookup): ResolvedValue {
  const unknownPaths: string[] = [];
  const resolved = resolveAt(value, '', lookup, unknownPaths);
  return { value: resolved ?? null, unknownPaths };
}

/** Resolved node properties: a JSON object plus the pointers still unknown. */
export interface ResolvedProperties {
  readonly value: JsonObject;
  readonly unknownPaths: readonly string[];
}

/** {@link resolveValue} for a node's `properties` object; the result is always an object. */
export function resolveProperties(properties: { readonly [key: string]: PlanValue }, lookup: AttributesLookup): ResolvedProperties {
  const unknownPaths: string[] = [];
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of Object.entries(properties)) {
    const resolved = resolveAt(item, `/${escapePointer(key)}`, lookup, unknownPaths);
    if (resolved !== undefined) out[key] = resolved;
  }
  return { value: out, unknownPaths };
}

/** True when `pointer` is one of `unknownPaths` or lies under one of them. */
export function isUnderUnknown(pointer: string, unknownPaths: readonly string[]): boolean {
  return unknownPaths.some((unknown) => pointer === unknown || pointer.startsWith(`${unknown}/`));
}

function resolveAt(value: PlanValue, pointer: string, lookup: AttributesLookup, unknownPaths: string[]): JsonValue | undefined {
  if (isDeferredValue(value)) {
    const result = value.evaluate(lookup);
    if (result === undefined) unknownPaths.push(pointer);
    return result;
  }
  if (Array.isArray(value)) {
    return (value as readonly PlanValue[]).map((item, index) => resolveAt(item, `${pointer}/${index}`, lookup, unknownPaths) ?? null);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value as { readonly [key: string]: PlanValue })) {
      const resolved = resolveAt(item, `${pointer}/${escapePointer(key)}`, lookup, unknownPaths);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }
  return value;
}

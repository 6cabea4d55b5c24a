import { ConfigError, RunestoneError } from '../core/errors.ts';
import type { AttributesLookup, PlanNode } from '../plan/ir.ts';
import type { DesiredResource, KindHandler, Provider } from '../providers/contract.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { JsonObject, JsonValue } from '../core/json.ts';
import { escapePointer, splitPointer } from '../schema/index.ts';
import { isUnderUnknown, resolveProperties } from './resolve.ts';

/** A node's desired resource as far as it is known, plus the pointers still unknown. */
export interface PreparedDesired {
  readonly desired: DesiredResource;
  readonly unknownPaths: readonly string[];
}

/**
 * Resolves a node's properties against `lookup` and validates them against its kind's
 * schema (defaults applied). Issues at unknown pointers are not reported: they are checked
 * again once the values are known.
 *
 * Throws `ConfigError` `RS_ENGINE_E0002` listing every schema issue, or the `ExprError` an
 * expression throws.
 */
export function prepareDesired(node: PlanNode, options: { readonly registry: ProviderRegistry; readonly lookup: AttributesLookup; readonly stack: string }): PreparedDesired {
  const { registry, lookup } = options;
  const { value, unknownPaths } = resolveProperties(node.properties, lookup);
  const properties = structuredClone(value);
  // An unknown value still counts as present (`required`, `oneOf: [{required: [content]}, ...]`):
  // check with a null placeholder in its place, then take the placeholders out again.
  const placeholders = unknownPaths.filter((pointer) => setPlaceholder(properties, splitPointer(pointer)));
  const checked = registry.checkProperties(node.kind, properties);
  for (const pointer of placeholders) removePlaceholder(properties, splitPointer(pointer));
  const issues = checked.filter((issue) => {
    const pointer = issue.keyword === 'required' && issue.key !== undefined ? `${issue.pointer}/${escapePointer(issue.key)}` : issue.pointer;
    return !isUnderUnknown(pointer, unknownPaths);
  });
  if (issues.length > 0) {
    const detail = issues.map((issue) => `${issue.pointer === '' ? '(properties)' : `"${issue.pointer}"`}: ${issue.message}`).join('; ');
    throw new ConfigError('RS_ENGINE_E0002', `Properties of "${node.id}" do not match kind "${node.kind}": ${detail}`, { location: node.origin });
  }
  return { desired: { address: node.id, stack: options.stack, kind: node.kind, name: node.name, properties, origin: node.origin, ...(node.locate === undefined ? {} : { locate: node.locate }) }, unknownPaths };
}

/**
 * Finds the provider instance and kind handler for a resource.
 *
 * Throws `RunestoneError` `RS_ENGINE_E0001` when the instance is not configured and
 * `RS_ENGINE_E0011` when it does not serve the kind.
 */
export function findHandler(registry: ProviderRegistry, target: { readonly id: string; readonly kind: string; readonly provider: string; readonly origin?: PlanNode['origin'] }): { readonly provider: Provider; readonly handler: KindHandler } {
  const location = target.origin === undefined ? {} : { location: target.origin };
  const provider = registry.instance(target.provider);
  if (provider === undefined) {
    throw new RunestoneError('RS_ENGINE_E0001', `Cannot find provider "${target.provider}" for "${target.id}": no such instance is configured`, location);
  }
  const handler = provider.kinds.get(target.kind) ?? provider.resolveKind?.(target.kind);
  if (handler === undefined) {
    throw new RunestoneError('RS_ENGINE_E0011', `Cannot manage "${target.id}": provider "${target.provider}" does not serve kind "${target.kind}"`, location);
  }
  return { provider, handler };
}

// Sets a missing object member at `keys` to null; false when there is nothing to fill in.
function setPlaceholder(root: JsonObject, keys: readonly string[]): boolean {
  const parent = parentOf(root, keys);
  const last = keys.at(-1);
  if (parent === undefined || last === undefined || last in parent) return false;
  parent[last] = null;
  return true;
}

function removePlaceholder(root: JsonObject, keys: readonly string[]): void {
  const parent = parentOf(root, keys);
  const last = keys.at(-1);
  if (parent !== undefined && last !== undefined) Reflect.deleteProperty(parent, last);
}

function parentOf(root: JsonObject, keys: readonly string[]): Record<string, JsonValue> | undefined {
  let current: JsonValue = root;
  for (const key of keys.slice(0, -1)) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, JsonValue>)[key] ?? null;
  }
  return current !== null && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, JsonValue>) : undefined;
}

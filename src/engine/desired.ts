import { ConfigError, RunestoneError } from '../core/errors.ts';
import type { AttributesLookup, PlanNode } from '../plan/ir.ts';
import type { DesiredResource, KindHandler, Provider } from '../providers/contract.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { escapePointer } from '../schema/index.ts';
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
export function prepareDesired(node: PlanNode, registry: ProviderRegistry, lookup: AttributesLookup): PreparedDesired {
  const { value, unknownPaths } = resolveProperties(node.properties, lookup);
  const properties = structuredClone(value);
  const issues = registry.checkProperties(node.kind, properties).filter((issue) => {
    const pointer = issue.keyword === 'required' && issue.key !== undefined ? `${issue.pointer}/${escapePointer(issue.key)}` : issue.pointer;
    return !isUnderUnknown(pointer, unknownPaths);
  });
  if (issues.length > 0) {
    const detail = issues.map((issue) => `${issue.pointer === '' ? '(properties)' : `"${issue.pointer}"`}: ${issue.message}`).join('; ');
    throw new ConfigError('RS_ENGINE_E0002', `Properties of "${node.id}" do not match kind "${node.kind}": ${detail}`, { location: node.origin });
  }
  return { desired: { address: node.id, kind: node.kind, name: node.name, properties }, unknownPaths };
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
  const handler = provider.kinds.get(target.kind);
  if (handler === undefined) {
    throw new RunestoneError('RS_ENGINE_E0011', `Cannot manage "${target.id}": provider "${target.provider}" does not serve kind "${target.kind}"`, location);
  }
  return { provider, handler };
}

import type { NodeId } from '../core/brands.ts';
import type { JsonValue } from '../core/json.ts';
import type { Attributes, Plan } from '../plan/ir.ts';
import type { ChangeSet } from './changes.ts';
import { resolveValue } from './resolve.ts';

/** A stack output after a run: its value, or `undefined` while a referenced resource is missing. */
export interface ResolvedOutput {
  readonly name: string;
  readonly value: JsonValue | undefined;
  readonly secret: boolean;
}

/**
 * Resolves the plan's outputs from the attributes this run produced, falling back to the
 * live attributes observed for nodes it did not touch.
 */
export function resolveOutputs(plan: Plan, changeSet: ChangeSet, produced: ReadonlyMap<NodeId, Attributes>): ResolvedOutput[] {
  const observed = new Map<NodeId, Attributes>();
  for (const change of changeSet.changes) {
    if (change.change.kind !== 'create' && change.change.kind !== 'delete') observed.set(change.nodeId, change.change.before.attributes);
  }
  const lookup = (id: NodeId): Attributes | undefined => produced.get(id) ?? observed.get(id);
  return plan.outputs.map((output) => {
    const resolved = resolveValue(output.value, lookup);
    return { name: output.name, value: resolved.unknownPaths.length > 0 ? undefined : resolved.value, secret: output.secret };
  });
}

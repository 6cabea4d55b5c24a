import type { NodeId } from '../core/brands.ts';
import { PlanError } from '../core/errors.ts';
import type { PlanNode } from '../plan/ir.ts';

/** Which way `--target` grows: toward what targets need, or what needs the targets. */
export type TargetDirection = 'dependencies' | 'dependents';

/**
 * True when `target` names `address`: the exact id, every instance of a counted resource
 * (`kind.name` matches `kind.name[0]`), or a module (`module:vpc` matches its members).
 */
export function matchesTarget(target: string, address: string, module?: string): boolean {
  if (address === target || address.startsWith(`${target}[`)) return true;
  return module !== undefined && (module === target || module.startsWith(`${target}.`));
}

/**
 * The addresses `--target` selects, Terraform-like: the targets plus, transitively, their
 * dependencies (create/update) or their dependents (dismantle/delete). `extra` lists
 * addresses outside the plan (discovered orphans), which have no edges.
 *
 * Throws `PlanError` `RS_ENGINE_E0006` naming every target that matches nothing.
 */
export function selectTargets(targets: readonly string[], nodes: readonly PlanNode[], extra: readonly string[], direction: TargetDirection): Set<string> {
  const selected = new Set<string>();
  const unknown: string[] = [];
  for (const target of targets) {
    let matched = false;
    for (const node of nodes) {
      if (matchesTarget(target, node.id, node.module)) {
        selected.add(node.id);
        matched = true;
      }
    }
    for (const address of extra) {
      if (matchesTarget(target, address)) {
        selected.add(address);
        matched = true;
      }
    }
    if (!matched) unknown.push(target);
  }
  if (unknown.length > 0) {
    const names = unknown.map((t) => `"${t}"`).join(', ');
    throw new PlanError('RS_ENGINE_E0006', `Cannot target ${names}: no resource in the stack has that address`, {
      hint: nearestHint(unknown[0] ?? '', [...nodes.map((n) => n.id), ...extra]),
    });
  }
  const next = direction === 'dependencies' ? dependenciesOf(nodes) : dependentsOf(nodes);
  const queue = [...selected];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const neighbour of next.get(id as NodeId) ?? []) {
      if (!selected.has(neighbour)) {
        selected.add(neighbour);
        queue.push(neighbour);
      }
    }
  }
  return selected;
}

function dependenciesOf(nodes: readonly PlanNode[]): Map<NodeId, NodeId[]> {
  return new Map(nodes.map((n) => [n.id, n.edges.map((e) => e.to)]));
}

function dependentsOf(nodes: readonly PlanNode[]): Map<NodeId, NodeId[]> {
  const out = new Map<NodeId, NodeId[]>();
  for (const node of nodes) {
    for (const edge of node.edges) {
      // Appended in place: copying the list per edge is quadratic in a node's fan-out.
      const list = out.get(edge.to);
      if (list === undefined) out.set(edge.to, [node.id]);
      else list.push(node.id);
    }
  }
  return out;
}

function nearestHint(target: string, addresses: readonly string[]): string {
  const close = addresses.filter((a) => a.includes(target) || target.includes(a.split('[')[0] ?? a)).slice(0, 3);
  if (close.length > 0) return `Did you mean ${close.map((a) => `"${a}"`).join(' or ')}?`;
  return 'Use an address from `runestone graph`, such as `host:file.site`';
}

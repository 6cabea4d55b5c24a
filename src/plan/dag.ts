import type { NodeId } from '../core/brands.ts';
import { PlanError } from '../core/errors.ts';
import { formatLocation } from '../core/location.ts';
import type { PlanNode } from './ir.ts';

/**
 * Throws `PlanError` RS_PLAN_E0001 when the nodes' edges contain a cycle, spelling it out
 * (`a → b → a`) with where each edge is written. Iterative DFS, linear in nodes + edges.
 */
export function assertAcyclic(nodes: readonly PlanNode[]): void {
  const byId = new Map<NodeId, PlanNode>(nodes.map((node) => [node.id, node]));
  const state = new Map<NodeId, 1 | 2>(); // 1 = on the stack, 2 = finished
  for (const root of nodes) {
    if (state.has(root.id)) continue;
    const stack: { node: PlanNode; next: number }[] = [{ node: root, next: 0 }];
    state.set(root.id, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) break;
      const edge = frame.node.edges[frame.next];
      if (edge === undefined) {
        state.set(frame.node.id, 2);
        stack.pop();
        continue;
      }
      frame.next += 1;
      const target = byId.get(edge.to);
      if (target === undefined) continue;
      const seen = state.get(edge.to);
      if (seen === 1) throw cycleError(stack.map((f) => f.node), target, byId);
      if (seen === undefined) {
        state.set(edge.to, 1);
        stack.push({ node: target, next: 0 });
      }
    }
  }
}

function cycleError(path: readonly PlanNode[], closing: PlanNode, byId: ReadonlyMap<NodeId, PlanNode>): PlanError {
  const start = path.findIndex((node) => node.id === closing.id);
  const cycle = [...path.slice(start), closing];
  const steps: string[] = [];
  for (let i = 0; i + 1 < cycle.length; i++) {
    const from = cycle[i];
    const to = cycle[i + 1];
    if (from === undefined || to === undefined) continue;
    const edge = byId.get(from.id)?.edges.find((e) => e.to === to.id);
    steps.push(`  ${from.id} → ${to.id} (${edge?.reason ?? 'edge'} at ${edge === undefined ? '?' : formatLocation(edge.origin)})`);
  }
  const first = cycle[0];
  const firstEdge = first?.edges.find((e) => e.to === cycle[1]?.id);
  return new PlanError('RS_PLAN_E0001', `Dependency cycle: ${cycle.map((node) => node.id).join(' → ')}\n${steps.join('\n')}`, {
    ...(firstEdge === undefined ? {} : { location: firstEdge.origin }),
    hint: 'Remove one depends_on entry or reference on the cycle',
  });
}

/** Groups nodes into dependency layers (Kahn): layer 0 has no dependencies in `nodes`. Linear in nodes + edges. */
export function dependencyLayers(nodes: readonly PlanNode[]): NodeId[][] {
  const ids = new Set(nodes.map((node) => node.id));
  const remaining = new Map<NodeId, number>();
  const dependents = new Map<NodeId, NodeId[]>();
  for (const node of nodes) {
    const deps = new Set(node.edges.map((e) => e.to).filter((to) => ids.has(to)));
    remaining.set(node.id, deps.size);
    for (const dep of deps) {
      // Appended in place: copying the list per edge is quadratic in a node's fan-out.
      const list = dependents.get(dep);
      if (list === undefined) dependents.set(dep, [node.id]);
      else list.push(node.id);
    }
  }
  const layers: NodeId[][] = [];
  let current = nodes.filter((node) => remaining.get(node.id) === 0).map((node) => node.id);
  while (current.length > 0) {
    layers.push(current);
    const next: NodeId[] = [];
    for (const id of current) {
      for (const dependent of dependents.get(id) ?? []) {
        const left = (remaining.get(dependent) ?? 0) - 1;
        remaining.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    current = next;
  }
  return layers;
}

/** Node ids matching a `--target` address: an exact id, a `kind.name` group, or a module path. */
export function matchAddress(nodes: readonly PlanNode[], address: string): NodeId[] {
  return nodes
    .filter((node) => node.id === address || node.id.startsWith(`${address}[`) || node.id.startsWith(`${address}@`) || node.id.startsWith(`${address}/`) || (address.startsWith('module:') && node.id.startsWith(`${address}.`)))
    .map((node) => node.id);
}

import { asNodeId, type NodeId } from '../core/brands.ts';
import { isDeferred } from './build-plan.ts';
import type { AttributesLookup, DeferredValue, Plan, PlanEdge, PlanNode, PlanValue, ProviderInstanceConfig } from './ir.ts';

/** The target that means "this machine": its nodes keep their plain ids. */
const LOCAL = 'local';

/** The node id of a host resource on a remote host: `host:file.motd@web1`. */
export function hostNodeId(id: string, host: string): NodeId {
  return asNodeId(host === LOCAL ? id : `${id}@${host}`);
}

/** The provider instance that carries a host resource to a remote host: `host@web1`. */
export function hostInstanceName(instance: string, host: string): string {
  return host === LOCAL ? instance : `${instance}@${host}`;
}

/**
 * Runs the plan's host resources on each target host. Every node whose provider instance
 * is of type `host` becomes one node per target: on `local` it keeps its id and instance;
 * on a remote host `web1` its id gets `@web1` and its instance is `host@web1` (one
 * provider instance, so one SSH connection, per host). Dependencies between host nodes stay
 * on the same host; a non-host node that depends on a host node waits for every copy, and
 * an expression that reads a host node's attributes from outside reads the first target's.
 *
 * A host instance gets no local copy when `local` is not a target, so its discovery does
 * not report the local machine's resources as removed. Other nodes are unchanged.
 *
 * @param targets Host names, `local` included when wanted. None drops the host resources.
 */
export function fanOutHosts(plan: Plan, targets: readonly string[]): Plan {
  const first = targets[0];
  if (targets.length === 1 && first === LOCAL) return plan;
  const hostInstances = new Set(plan.providers.filter((p) => p.type === 'host').map((p) => p.name));
  const hostIds = new Set<string>(plan.nodes.filter((n) => hostInstances.has(n.provider)).map((n) => n.id));
  const nodes: PlanNode[] = [];
  for (const node of plan.nodes) {
    if (!hostIds.has(node.id)) {
      nodes.push(retargetOutside(node, hostIds, targets, first));
      continue;
    }
    for (const host of targets) {
      const onHost = (id: NodeId): NodeId => (hostIds.has(id) ? hostNodeId(id, host) : id);
      nodes.push({
        ...node,
        id: hostNodeId(node.id, host),
        provider: hostInstanceName(node.provider, host),
        edges: node.edges.map((edge) => ({ ...edge, to: onHost(edge.to) })),
        properties: mapDeferred(node.properties, onHost) as PlanNode['properties'],
        ...(node.when === undefined ? {} : { when: mapDeferred(node.when, onHost) as DeferredValue }),
      });
    }
  }
  const providers: ProviderInstanceConfig[] = plan.providers.flatMap((provider) =>
    hostInstances.has(provider.name) ? targets.map((host) => ({ ...provider, name: hostInstanceName(provider.name, host) })) : [provider],
  );
  const toFirst = (id: NodeId): NodeId => (hostIds.has(id) && first !== undefined ? hostNodeId(id, first) : id);
  return {
    ...plan,
    nodes: nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    providers,
    outputs: plan.outputs.map((output) => ({ ...output, value: mapDeferred(output.value, toFirst) })),
  };
}

// A node that stays single: its edges to a host node fan out to every copy.
function retargetOutside(node: PlanNode, hostIds: ReadonlySet<string>, targets: readonly string[], first: string | undefined): PlanNode {
  if (!node.edges.some((edge) => hostIds.has(edge.to))) return node;
  const edges: PlanEdge[] = node.edges.flatMap((edge) => (hostIds.has(edge.to) ? targets.map((host) => ({ ...edge, to: hostNodeId(edge.to, host) })) : [edge]));
  const toFirst = (id: NodeId): NodeId => (hostIds.has(id) && first !== undefined ? hostNodeId(id, first) : id);
  return { ...node, edges, properties: mapDeferred(node.properties, toFirst) as PlanNode['properties'] };
}

/** Rewrites the node ids deferred values read, keeping everything else as is. */
function mapDeferred(value: PlanValue, mapId: (id: NodeId) => NodeId): PlanValue {
  if (isDeferred(value)) {
    const deferred: DeferredValue = value;
    return {
      ...deferred,
      refs: deferred.refs.map(mapId),
      evaluate: (lookup: AttributesLookup) => deferred.evaluate((id) => lookup(mapId(id))),
    };
  }
  if (Array.isArray(value)) return value.map((item: PlanValue) => mapDeferred(item, mapId));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, PlanValue>).map(([key, item]) => [key, mapDeferred(item, mapId)]));
  }
  return value;
}

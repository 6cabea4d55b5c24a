import type { NodeId } from '../core/brands.ts';
import { RunestoneAggregateError, type RunestoneError } from '../core/errors.ts';
import { Redactor } from '../core/redactor.ts';
import type { Attributes, Plan, PlanNode } from '../plan/ir.ts';
import { markPartialAttributes } from '../plan/index.ts';
import type { DesiredResource, FieldDiff, KindHandler, LiveState, OwnedResource, ProviderContext, ProviderRetry, SnapshotReader } from '../providers/contract.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { Change } from './changes.ts';
import { systemNow, type Now } from './clock.ts';
import { findHandler, prepareDesired } from './desired.ts';
import { checkOwnership } from './ownership.ts';
import { classifyChange, diffResource } from './diff.ts';
import { limitConcurrency } from './limit-concurrency.ts';
import { toRunestoneError } from './provider-call.ts';
import type { SnapshotStore } from './store-port.ts';

/** What observation found for one plan node. */
export interface ObservedNode {
  readonly node: PlanNode;
  readonly handler: KindHandler;
  /** Desired resource as far as known now (unknown values left out). */
  readonly desired: DesiredResource;
  readonly unknownPaths: readonly string[];
  /** Live state, or `undefined` when the resource does not exist. */
  readonly live: LiveState | undefined;
  readonly diff: readonly FieldDiff[];
  /** The change that would converge it. */
  readonly change: Change;
  /** Missing now but in the snapshot cache: when Runestone last saw it (deleted outside Runestone). */
  readonly lastSeenAt?: string;
}

/** A resource the stack owns that the plan does not declare. */
export interface OrphanResource {
  /** Provider instance that reported it. */
  readonly provider: string;
  readonly resource: OwnedResource;
}

/** Everything observation saw: plan nodes (in plan order) and orphans (by address). */
export interface Observation {
  readonly plan: Plan;
  readonly nodes: ReadonlyMap<NodeId, ObservedNode>;
  readonly orphans: readonly OrphanResource[];
}

/** Options for {@link observePlan}. */
export interface ObserveOptions {
  /** Must hold an instance for every provider the plan uses. */
  readonly registry: ProviderRegistry;
  /** Receives a snapshot of everything seen; also given to `discover`. */
  readonly store?: SnapshotStore | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Most reads at once; default 10. */
  readonly parallelism?: number | undefined;
  /** Most reads at once per provider instance. */
  readonly providerParallelism?: Readonly<Record<string, number>> | undefined;
  /** Redacts snapshots before they are stored; default: the plan's secrets. */
  readonly redactor?: Redactor | undefined;
  readonly now?: Now | undefined;
  /**
   * Drop the snapshots of declared resources found missing (dismantle: they are meant to
   * be gone). Otherwise they are kept, so later runs still report the resource as deleted
   * outside Runestone until it is re-created.
   */
  readonly forgetMissing?: boolean | undefined;
  /** Streams provider output lines (`ctx.output`) during reads. */
  readonly output?: ((nodeId: string, line: string, stream: 'stdout' | 'stderr') => void) | undefined;
  /** Told when a provider retries an API call during reads (`ctx.retrying`). */
  readonly retrying?: ((nodeId: string, retry: ProviderRetry) => void) | undefined;
}

const EMPTY_SNAPSHOTS: SnapshotReader = { list: () => Promise.resolve([]) };

/**
 * Reads the live state of every node in parallel (bounded), resolving deferred values
 * from the attributes of referenced nodes read first: a referenced resource that exists
 * and will not change lends its live attributes; one that will change lends the kind's
 * `plannedAttributes`; otherwise the value stays unknown. Then validates the properties,
 * diffs and classifies each node, asks every provider instance the plan uses to `discover`
 * owned resources not in the plan, and writes snapshots of what was seen.
 *
 * Throws `RunestoneAggregateError` with every node's error (unreadable resource, invalid
 * properties, failed expression) after all reads finish.
 */
export async function observePlan(plan: Plan, options: ObserveOptions): Promise<Observation> {
  const signal = options.signal ?? new AbortController().signal;
  const limit = limitConcurrency({ concurrency: options.parallelism ?? 10, ...(options.providerParallelism === undefined ? {} : { perKey: options.providerParallelism }) });
  const redactor = options.redactor ?? redactorFor(plan);
  const now = options.now ?? systemNow;
  const ids = new Set(plan.nodes.map((n) => n.id));
  const observed = new Map<NodeId, ObservedNode>();
  const pending = new Map<NodeId, Promise<void>>();
  const errors: RunestoneError[] = [];
  const instances = [...new Set([...plan.nodes.map((n) => n.provider), ...plan.providers.map((p) => p.name)])].sort();
  const known = await lastSeenByAddress(plan.stack, instances, options.store);
  const unfinished = (await options.store?.unfinishedCreates(plan.stack)) ?? new Set<string>();

  // One pass: providers may share a batched query among the reads and discovery below.
  const observation = {};
  const ctxFor = (nodeId: string): ProviderContext => ({
    signal,
    observation,
    stack: plan.stack,
    baseDir: plan.baseDir,
    dryRun: true,
    output: (line, stream = 'stdout') => options.output?.(nodeId, line, stream),
    retrying: (retry) => options.retrying?.(nodeId, retry),
  });

  const attributesOf = (id: NodeId): Attributes | undefined => {
    const seen = observed.get(id);
    if (seen === undefined) return undefined;
    if (seen.change.kind === 'no-op') return seen.live?.attributes;
    if (seen.unknownPaths.length > 0) return undefined;
    const planned = seen.handler.plannedAttributes?.(seen.desired);
    if (planned === undefined) return undefined;
    return seen.handler.attributes.every((name) => name in planned) ? planned : markPartialAttributes(planned);
  };

  const observeNode = async (node: PlanNode): Promise<void> => {
    // A node resolves against what its dependencies look like, so it waits for them first.
    await Promise.all(node.edges.filter((e) => ids.has(e.to)).map((e) => pending.get(e.to) ?? Promise.resolve()));
    try {
      const { handler } = findHandler(options.registry, node);
      const { desired, unknownPaths } = prepareDesired(node, { registry: options.registry, lookup: attributesOf, stack: plan.stack });
      const live = await limit(node.provider, () => handler.read(desired, ctxFor(node.id)));
      const diff = live === undefined ? [] : [...checkOwnership(handler, node, live, plan.stack, unfinished.has(node.id)), ...diffResource(handler, desired, live, unknownPaths)];
      const change = classifyChange({ properties: desired.properties, unknownPaths }, live, diff);
      const lastSeenAt = live === undefined ? known.get(node.id) : undefined;
      observed.set(node.id, { node, handler, desired, unknownPaths, live, diff, change, ...(lastSeenAt === undefined ? {} : { lastSeenAt }) });
    } catch (error: unknown) {
      errors.push(toRunestoneError(error, `Cannot read "${node.id}"`, node.origin));
    }
  };

  // Nodes are in plan order, not dependency order, so create every promise before awaiting any.
  for (const node of plan.nodes) pending.set(node.id, Promise.resolve().then(() => observeNode(node)));
  const orphans = plan.keepsUndeclared === true ? [] : await discoverOrphans(plan, instances, options, ids, ctxFor, errors);
  await Promise.all(pending.values());
  if (errors.length > 0) throw new RunestoneAggregateError(errors);

  const nodes = new Map<NodeId, ObservedNode>();
  for (const node of plan.nodes) {
    const seen = observed.get(node.id);
    if (seen !== undefined) nodes.set(node.id, seen);
  }
  if (options.store !== undefined) {
    await writeSnapshots(options.store, plan, nodes, redactor, new Date(now()).toISOString(), options.forgetMissing === true);
    // Undeclared snapshots of a plan that keeps them are not vanished, only not planned this time.
    if (plan.keepsUndeclared !== true) await forgetVanishedOrphans(options.store, plan.stack, known, ids, orphans);
  }
  return { plan, nodes, orphans };
}

/** A redactor that knows the plan's secrets. */
export function redactorFor(plan: Plan): Redactor {
  const redactor = new Redactor();
  redactor.add(plan.secrets);
  return redactor;
}

async function discoverOrphans(
  plan: Plan,
  instances: readonly string[],
  options: ObserveOptions,
  ids: ReadonlySet<NodeId>,
  ctxFor: (nodeId: string) => ProviderContext,
  errors: RunestoneError[],
): Promise<OrphanResource[]> {
  const found = await Promise.all(
    instances.map(async (instance) => {
      const provider = options.registry.instance(instance);
      if (provider === undefined) return [];
      try {
        const owned = await provider.discover({ ...ctxFor(instance), snapshots: options.store ?? EMPTY_SNAPSHOTS, instance, planned: ids });
        return owned.filter((r) => !ids.has(r.address as NodeId)).map((resource) => ({ provider: instance, resource }));
      } catch (error: unknown) {
        errors.push(toRunestoneError(error, `Cannot discover resources of provider "${instance}"`));
        return [];
      }
    }),
  );
  return found.flat().sort((a, b) => a.resource.address.localeCompare(b.resource.address));
}

// Address → when last seen, for every snapshot of the stack's provider instances.
async function lastSeenByAddress(stack: string, instances: readonly string[], store: SnapshotReader | undefined): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  if (store === undefined) return known;
  for (const snapshots of await Promise.all(instances.map((instance) => store.list(stack, instance)))) {
    for (const snapshot of snapshots) known.set(snapshot.address, snapshot.seenAt);
  }
  return known;
}

// A snapshot neither declared nor discovered any more is of a resource gone for good.
async function forgetVanishedOrphans(store: SnapshotStore, stack: string, known: ReadonlyMap<string, string>, ids: ReadonlySet<NodeId>, orphans: readonly OrphanResource[]): Promise<void> {
  const present = new Set(orphans.map((orphan) => orphan.resource.address));
  const gone = [...known.keys()].filter((address) => !ids.has(address as NodeId) && !present.has(address));
  await Promise.all(gone.map((address) => store.remove(stack, address)));
}

async function writeSnapshots(store: SnapshotStore, plan: Plan, nodes: ReadonlyMap<NodeId, ObservedNode>, redactor: Redactor, seenAt: string, forgetMissing: boolean): Promise<void> {
  await Promise.all(
    [...nodes.values()].map((seen) =>
      seen.live === undefined
        ? forgetMissing ? store.remove(plan.stack, seen.node.id) : Promise.resolve()
        : store.put({
            stack: plan.stack,
            address: seen.node.id,
            kind: seen.node.kind,
            provider: seen.node.provider,
            live: redactor.redact(seen.live),
            seenAt,
            dependsOn: [...new Set(seen.node.edges.map((edge) => edge.to))],
          }),
    ),
  );
}

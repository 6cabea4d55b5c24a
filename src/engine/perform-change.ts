import { assertNever } from '../core/assert-never.ts';
import { RunestoneError } from '../core/errors.ts';
import type { Redactor } from '../core/redactor.ts';
import type { Attributes, AttributesLookup, PlanNode, PlanValue } from '../plan/ir.ts';
import type { DesiredResource, KindHandler, LiveState, ProviderContext } from '../providers/contract.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { splitPointer } from '../schema/index.ts';
import type { NodeChange } from './changes.ts';
import type { Now, Sleep } from './clock.ts';
import { findHandler, prepareDesired } from './desired.ts';
import { diffResource } from './diff.ts';
import { OWNER_PATH } from './ownership.ts';
import { callWithRetry, type RetryPolicy } from './provider-call.ts';
import { isDeferredValue } from './resolve.ts';
import type { SnapshotStore } from './store-port.ts';

/** What {@link performChange} needs besides the change. */
export interface PerformOptions {
  /** The plan node; absent only for removals of resources no longer in config. */
  readonly node: PlanNode | undefined;
  readonly ctx: ProviderContext;
  readonly registry: ProviderRegistry;
  /** Attributes of nodes done in this run, then live attributes observed earlier. */
  readonly lookup: AttributesLookup;
  readonly retry: RetryPolicy;
  readonly sleep: Sleep;
  readonly store: SnapshotStore | undefined;
  readonly redactor: Redactor;
  readonly now: Now;
  /** Called before every provider call attempt with its 1-based number. */
  readonly onAttempt: (attempt: number) => void;
}

/**
 * Carries out one node's change through its provider: resolves deferred properties just
 * in time, validates them, calls create/update/delete (replace is delete then create,
 * validated before anything is deleted), retries retryable errors, and updates the
 * snapshot cache. Returns the resource's attributes afterwards (`undefined` once deleted).
 *
 * Throws `RS_ENGINE_E0007` when a referenced value is still unknown, `RS_ENGINE_E0002` for
 * invalid properties, and whatever the provider throws last.
 */
export async function performChange(change: NodeChange, options: PerformOptions): Promise<Attributes | undefined> {
  const { handler } = findHandler(options.registry, { id: change.nodeId, kind: change.kind, provider: change.provider, ...(change.origin === undefined ? {} : { origin: change.origin }) });
  const step = change.change;
  switch (step.kind) {
    case 'no-op':
      return step.before.attributes;
    case 'delete':
      await remove(handler, step.before, change, options);
      return undefined;
    case 'create': {
      const desired = prepareKnown(change, options);
      return (await create(handler, desired, change, options)).attributes;
    }
    case 'update': {
      const desired = prepareKnown(change, options);
      // Values unknown at preview are known now, so the diff is computed again.
      // An adoption (the markers missing) stays an update even when every field matches.
      const diff = [...step.diff.filter((d) => d.path === OWNER_PATH), ...diffResource(handler, desired, step.before, [])];
      if (diff.length === 0) return step.before.attributes;
      if (diff.some((d) => d.forcesReplace)) {
        await remove(handler, step.before, change, options);
        return (await create(handler, desired, change, options)).attributes;
      }
      const live = await callWithRetry(() => handler.update(desired, step.before, diff, options.ctx), retryOptions(options));
      await record(live, change, options);
      return live.attributes;
    }
    case 'replace': {
      const desired = prepareKnown(change, options);
      await remove(handler, step.before, change, options);
      return (await create(handler, desired, change, options)).attributes;
    }
    default:
      return assertNever(step);
  }
}

function retryOptions(options: PerformOptions): Parameters<typeof callWithRetry>[1] {
  return { policy: options.retry, sleep: options.sleep, signal: options.ctx.signal, onAttempt: options.onAttempt };
}

async function create(handler: KindHandler, desired: DesiredResource, change: NodeChange, options: PerformOptions): Promise<LiveState> {
  // Noted before the provider writes anything, so a run killed half-way leaves it behind.
  await options.store?.beginCreate(options.ctx.stack, change.nodeId, new Date(options.now()).toISOString());
  const live = await callWithRetry(() => handler.create(desired, options.ctx), retryOptions(options));
  await record(live, change, options);
  return live;
}

async function remove(handler: KindHandler, before: LiveState, change: NodeChange, options: PerformOptions): Promise<void> {
  await callWithRetry(() => handler.delete(before, options.ctx), retryOptions(options));
  await options.store?.remove(options.ctx.stack, change.nodeId);
}

async function record(live: LiveState, change: NodeChange, options: PerformOptions): Promise<void> {
  await options.store?.put({
    stack: options.ctx.stack,
    address: change.nodeId,
    kind: change.kind,
    provider: change.provider,
    live: options.redactor.redact(live),
    seenAt: new Date(options.now()).toISOString(),
    dependsOn: change.dependsOn,
  });
  // Written (and, for kinds that mark ownership, marked): a create interrupted earlier is done.
  await options.store?.endCreate(options.ctx.stack, change.nodeId);
}

// Resolves and validates the node's properties; every value must be known by now.
function prepareKnown(change: NodeChange, options: PerformOptions): DesiredResource {
  const { node } = options;
  if (node === undefined) {
    throw new RunestoneError('RS_INTERNAL_E0001', `Cannot ${change.change.kind} "${change.nodeId}": the node is not in the plan`, { source: 'internal' });
  }
  const { desired, unknownPaths } = prepareDesired(node, { registry: options.registry, lookup: options.lookup, stack: options.ctx.stack });
  const first = unknownPaths[0];
  if (first !== undefined) {
    const source = sourceAt(node.properties, first);
    const what = source === undefined ? `"${first}"` : `"${first}" ("${source}")`;
    throw new RunestoneError('RS_ENGINE_E0007', `Cannot resolve ${what} of "${node.id}": the value is still unknown after its dependencies finished`, { location: node.origin });
  }
  return desired;
}

function sourceAt(properties: { readonly [key: string]: PlanValue }, pointer: string): string | undefined {
  let current: PlanValue | undefined = properties;
  for (const key of splitPointer(pointer)) {
    if (current === null || typeof current !== 'object' || isDeferredValue(current)) return undefined;
    current = Array.isArray(current) ? (current as readonly PlanValue[])[Number(key)] : (current as { readonly [key: string]: PlanValue })[key];
  }
  return isDeferredValue(current) ? current.source : undefined;
}

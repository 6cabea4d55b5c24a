import type { NodeId } from '../core/brands.ts';
import { AbortError, RunestoneError } from '../core/errors.ts';
import type { Redactor } from '../core/redactor.ts';
import type { JsonValue } from '../core/json.ts';
import type { Attributes, Plan, PlanNode } from '../plan/ir.ts';
import type { ProviderContext } from '../providers/contract.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { ChangeSet, NodeChange } from './changes.ts';
import { systemNow, systemSleep, type Now, type Sleep } from './clock.ts';
import type { ErrorInfo, NodeResult, RunSummary, Verb } from './events.ts';
import { limitConcurrency } from './limit-concurrency.ts';
import { redactorFor } from './observe.ts';
import { performChange } from './perform-change.ts';
import { countChanges } from './plan-changes.ts';
import { callWithTimeout, DEFAULT_RETRY, toRunestoneError, type RetryPolicy } from './provider-call.ts';
import { actionVerb, type RunEvents } from './run-events.ts';
import type { SnapshotStore } from './store-port.ts';

/** Options for {@link executeChanges}. */
export interface ExecuteOptions {
  /** The plan the change set came from: node properties (for just-in-time resolution) and origins. */
  readonly plan: Plan;
  /** Holds an instance for every provider the changes use. */
  readonly registry: ProviderRegistry;
  readonly verb: Verb;
  /** Receives `node.started`, `node.output` and `node.finished`. */
  readonly events?: RunEvents | undefined;
  /** Snapshots are updated after each successful node. */
  readonly store?: SnapshotStore | undefined;
  /** Ctrl-C: start nothing new, let running nodes finish, skip the rest. */
  readonly signal?: AbortSignal | undefined;
  /** Most nodes running at once; default 10. */
  readonly parallelism?: number | undefined;
  /** Most nodes running at once per provider instance. */
  readonly providerParallelism?: Readonly<Record<string, number>> | undefined;
  /** Time one node may take, retries included; default 30 minutes. */
  readonly nodeTimeoutMs?: number | undefined;
  readonly retry?: RetryPolicy | undefined;
  readonly now?: Now | undefined;
  readonly sleep?: Sleep | undefined;
  /** Redacts snapshots; default: the plan's secrets. */
  readonly redactor?: Redactor | undefined;
}

/** What {@link executeChanges} returns. */
export interface ExecuteResult {
  /** One result per change that had work to do (no-ops excluded), in change-set order. */
  readonly results: readonly NodeResult[];
  readonly summary: RunSummary;
  /** Attributes of every node done in this run. */
  readonly attributes: ReadonlyMap<NodeId, Attributes>;
}

/** Default time one node may take. */
export const DEFAULT_NODE_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * Runs a change set along the DAG. A node starts once every node it waits for is done:
 * creates and updates wait for their dependencies; deletions run in reverse, each after
 * every node that depends on it is deleted. At most `parallelism` nodes run at once.
 * Retryable provider errors are retried with backoff; each node has a timeout.
 *
 * A failed node skips everything that (transitively) waits for it; independent branches
 * finish. When `signal` aborts, running nodes finish and every node not yet started is
 * skipped. Never throws for a node's failure: it is in the results.
 */
export async function executeChanges(changeSet: ChangeSet, options: ExecuteOptions): Promise<ExecuteResult> {
  const now = options.now ?? systemNow;
  const sleep = options.sleep ?? systemSleep;
  const signal = options.signal ?? new AbortController().signal;
  const redactor = options.redactor ?? redactorFor(options.plan);
  const startedAt = now();
  const planNodes = new Map<NodeId, PlanNode>(options.plan.nodes.map((n) => [n.id, n]));
  const active = changeSet.changes.filter((c) => c.change.kind !== 'no-op');
  const byId = new Map(active.map((c) => [c.nodeId, c]));
  const { waitsFor, waiters } = buildSchedule(active, planNodes);

  // Live attributes observed earlier: the fallback for references to nodes this run does not touch.
  const observed = new Map<NodeId, Attributes>();
  for (const { nodeId, change } of changeSet.changes) {
    if (change.kind !== 'create' && change.kind !== 'delete') observed.set(nodeId, change.before.attributes);
  }
  const attributes = new Map<NodeId, Attributes>();
  const lookup = (id: NodeId): Attributes | undefined => attributes.get(id) ?? observed.get(id);

  const limit = limitConcurrency({ concurrency: options.parallelism ?? 10, ...(options.providerParallelism === undefined ? {} : { perKey: options.providerParallelism }) });
  const results = new Map<NodeId, NodeResult>();
  let finish = (): void => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const settle = (result: NodeResult): void => {
    if (results.has(result.nodeId)) return;
    results.set(result.nodeId, result);
    options.events?.nodeFinished(result);
    const cause = result.status === 'failed' ? result.nodeId : result.skippedBecause;
    for (const waiter of waiters.get(result.nodeId) ?? []) {
      if (results.has(waiter)) continue;
      // A node skipped by its own condition is settled, not broken: what waits for it goes on.
      if (result.status === 'done' || result.condition !== undefined) {
        const left = (waitsFor.get(waiter) ?? 1) - 1;
        waitsFor.set(waiter, left);
        if (left === 0) schedule(waiter);
      } else {
        const action = byId.get(waiter)?.change.kind ?? 'no-op';
        const error = cause === undefined ? abortedInfo() : dependencyInfo(waiter, cause);
        settle({ nodeId: waiter, action, status: 'skipped', durationMs: 0, attempts: 0, error, ...(cause === undefined ? {} : { skippedBecause: cause }) });
      }
    }
    if (results.size === active.length) finish();
  };

  const schedule = (id: NodeId): void => {
    const change = byId.get(id);
    if (change === undefined) return;
    void limit(change.provider, async () => {
      // Checked when the slot is granted, not when queued: abort stops every node not yet running.
      if (signal.aborted) {
        settle({ nodeId: id, action: change.change.kind, status: 'skipped', durationMs: 0, attempts: 0, error: abortedInfo() });
        return;
      }
      settle(await runNode(change));
    }).catch((error: unknown) => {
      // runNode converts every provider failure into a result, so this is a bug in the engine;
      // settling the node anyway keeps the run from waiting forever.
      const info = toErrorInfo(new RunestoneError('RS_INTERNAL_E0001', `Cannot run "${id}": ${error instanceof Error ? error.message : String(error)}`, { source: 'internal', cause: error }));
      settle({ nodeId: id, action: change.change.kind, status: 'failed', durationMs: 0, attempts: 0, error: info });
    });
  };

  const runNode = async (change: NodeChange): Promise<NodeResult> => {
    const start = now();
    const action = change.change.kind;
    const node = planNodes.get(change.nodeId);
    const location = node?.origin ?? change.origin;
    if (node?.when !== undefined && action !== 'delete' && action !== 'no-op') {
      let go: JsonValue | undefined;
      try {
        go = node.when.evaluate(lookup);
      } catch (error: unknown) {
        const failure = toRunestoneError(error, `Cannot evaluate the condition of "${change.nodeId}"`, node.when.location);
        return { nodeId: change.nodeId, action, status: 'failed', durationMs: now() - start, attempts: 0, error: toErrorInfo(failure, node.when.location) };
      }
      if (go !== true) {
        return { nodeId: change.nodeId, action, status: 'skipped', durationMs: now() - start, attempts: 0, condition: { source: node.when.source, value: go === false ? 'false' : 'unknown' } };
      }
    }
    // Attempt 1 is announced here, so a node that needs no provider call still shows as started.
    let attempts = 1;
    options.events?.nodeStarted(change.nodeId, action, 1);
    try {
      const callOnce = (): Promise<Attributes | undefined> => callWithTimeout(
        (nodeSignal) => {
          const ctx: ProviderContext = {
            signal: nodeSignal,
            stack: options.plan.stack,
            baseDir: options.plan.baseDir,
            dryRun: false,
            output: (line, stream = 'stdout') => options.events?.nodeOutput(change.nodeId, line, stream),
            retrying: (retry) => options.events?.providerRetry(change.nodeId, retry),
          };
          return performChange(change, {
            node,
            ctx,
            registry: options.registry,
            lookup,
            retry: options.retry ?? DEFAULT_RETRY,
            sleep,
            store: options.store,
            redactor,
            now,
            // A replace makes two provider calls; only retries beyond the highest attempt so far are new attempts.
            onAttempt: (attempt) => {
              if (attempt <= attempts) return;
              attempts = attempt;
              options.events?.nodeStarted(change.nodeId, action, attempt);
            },
          });
        },
        { ms: options.nodeTimeoutMs ?? DEFAULT_NODE_TIMEOUT_MS, sleep, what: `${actionVerb(action)} of "${change.nodeId}"`, location },
      );
      let done: Attributes | undefined;
      // A node's own retries (steps' retries/retry_delay) repeat the whole change after any
      // failure, on top of the provider-level retries of transient errors inside callOnce.
      for (let round = 0; ; round++) {
        try {
          done = await callOnce();
          break;
        } catch (error: unknown) {
          const retry = node?.retry;
          if (retry === undefined || round >= retry.count || signal.aborted || action === 'delete') throw error;
          await sleep(retry.delayMs, signal);
          attempts += 1;
          options.events?.nodeStarted(change.nodeId, action, attempts);
        }
      }
      if (done !== undefined) attributes.set(change.nodeId, done);
      return { nodeId: change.nodeId, action, status: 'done', durationMs: now() - start, attempts };
    } catch (error: unknown) {
      const failure = toRunestoneError(error, `Cannot ${actionVerb(action)} "${change.nodeId}"`, location);
      return { nodeId: change.nodeId, action, status: 'failed', durationMs: now() - start, attempts, error: toErrorInfo(failure, location) };
    }
  };

  if (active.length === 0) finish();
  for (const change of active) if ((waitsFor.get(change.nodeId) ?? 0) === 0) schedule(change.nodeId);
  await finished;

  const ordered = active.map((c) => results.get(c.nodeId)).filter((r): r is NodeResult => r !== undefined);
  const summary: RunSummary = {
    verb: options.verb,
    done: ordered.filter((r) => r.status === 'done').length,
    failed: ordered.filter((r) => r.status === 'failed').length,
    skipped: ordered.filter((r) => r.status === 'skipped').length,
    aborted: signal.aborted,
    durationMs: now() - startedAt,
    counts: countChanges(changeSet),
  };
  return { results: ordered, summary, attributes };
}

/** An error as events and results carry it. */
export function toErrorInfo(error: RunestoneError, fallbackLocation?: PlanNode['origin']): ErrorInfo {
  const location = error.location ?? fallbackLocation;
  return {
    code: error.code,
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(location === undefined ? {} : { location }),
  };
}

function abortedInfo(): ErrorInfo {
  const error = new AbortError('RS_ENGINE_E0010', 'Cannot start the resource: the run was aborted', {});
  return toErrorInfo(error);
}

function dependencyInfo(nodeId: NodeId, cause: NodeId): ErrorInfo {
  return toErrorInfo(new RunestoneError('RS_ENGINE_E0012', `Cannot start "${nodeId}": dependency "${cause}" did not finish`, {}));
}

/**
 * Which nodes each node waits for. Creates, updates and replaces wait for their active
 * non-delete dependencies. Deletions run in reverse dependency order: a delete waits for
 * the deletion of every node that depends on it.
 */
function buildSchedule(active: readonly NodeChange[], planNodes: ReadonlyMap<NodeId, PlanNode>): { waitsFor: Map<NodeId, number>; waiters: Map<NodeId, NodeId[]> } {
  const deletes = new Set(active.filter((c) => c.change.kind === 'delete').map((c) => c.nodeId));
  const forward = new Set(active.filter((c) => c.change.kind !== 'delete').map((c) => c.nodeId));
  const waitsFor = new Map<NodeId, number>();
  const waiters = new Map<NodeId, NodeId[]>();
  const wait = (node: NodeId, on: NodeId): void => {
    waitsFor.set(node, (waitsFor.get(node) ?? 0) + 1);
    // Appended in place: copying the list per edge is quadratic in a node's fan-out.
    const list = waiters.get(on);
    if (list === undefined) waiters.set(on, [node]);
    else list.push(node);
  };
  const orderedAfter = orderedAfterActive(forward, planNodes);
  for (const change of active) {
    const deps = new Set(change.dependsOn);
    if (forward.has(change.nodeId)) for (const dep of orderedAfter(change.nodeId)) deps.add(dep);
    for (const dep of deps) {
      if (forward.has(change.nodeId) && forward.has(dep)) wait(change.nodeId, dep);
      else if (deletes.has(change.nodeId) && deletes.has(dep)) wait(dep, change.nodeId);
    }
  }
  return { waitsFor, waiters };
}

/**
 * `order` edges (steps documents) mean "after everything before", so they reach through
 * nodes with nothing to do: a step waits for the nearest earlier steps that have work.
 * Other edges only need their target to exist, which a no-op node already does.
 * Memoized per node, so a chain of steps is walked once.
 */
function orderedAfterActive(active: ReadonlySet<NodeId>, planNodes: ReadonlyMap<NodeId, PlanNode>): (id: NodeId) => readonly NodeId[] {
  const memo = new Map<NodeId, readonly NodeId[]>();
  const through = (id: NodeId): readonly NodeId[] => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    memo.set(id, []); // an order cycle is refused at plan time; this only guards the walk
    const out = new Set<NodeId>();
    for (const edge of planNodes.get(id)?.edges ?? []) {
      if (edge.reason !== 'order') continue;
      if (active.has(edge.to)) out.add(edge.to);
      else for (const dep of through(edge.to)) out.add(dep);
    }
    const list = [...out];
    memo.set(id, list);
    return list;
  };
  return through;
}

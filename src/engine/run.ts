import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Plan } from '../plan/ir.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { ChangeCounts, ChangeSet, DriftItem, NodeChange } from './changes.ts';
import { systemNow, systemSleep, type Now, type Sleep } from './clock.ts';
import { EventBus } from './event-bus.ts';
import type { ErrorInfo, EventListener, NodeResult, RunSummary, Verb } from './events.ts';
import { executeChanges } from './execute.ts';
import { observePlan, redactorFor } from './observe.ts';
import { countChanges, listDrift, planChanges, type PlanIntent } from './plan-changes.ts';
import type { RetryPolicy } from './provider-call.ts';
import { RunEvents } from './run-events.ts';
import { resolveOutputs, type ResolvedOutput } from './outputs.ts';
import { checkSavedPlan, type SavedPlanCheck } from './saved-plan.ts';
import type { RunHistory, SnapshotStore } from './store-port.ts';

/** Options every stack verb takes. */
export interface StackRunOptions {
  readonly plan: Plan;
  /** Holds an instance for every provider the plan uses. */
  readonly registry: ProviderRegistry;
  readonly store?: SnapshotStore | undefined;
  /** Records the finished run. */
  readonly history?: RunHistory | undefined;
  /** Who runs it; default: the OS user. */
  readonly user?: string | undefined;
  readonly runId?: string | undefined;
  /** Ctrl-C: start nothing new, let running work finish. */
  readonly signal?: AbortSignal | undefined;
  /** Most provider calls at once; default 10. */
  readonly parallelism?: number | undefined;
  readonly providerParallelism?: Readonly<Record<string, number>> | undefined;
  readonly nodeTimeoutMs?: number | undefined;
  readonly retry?: RetryPolicy | undefined;
  /** `--target` addresses. */
  readonly targets?: readonly string[] | undefined;
  readonly listener?: EventListener | undefined;
  readonly listeners?: readonly EventListener[] | undefined;
  /** Told about each listener failure as it happens (also returned in `listenerErrors`). */
  readonly onListenerError?: ((error: ErrorInfo) => void) | undefined;
  readonly now?: Now | undefined;
  readonly sleep?: Sleep | undefined;
}

/** What every verb returns. */
export interface RunOutcome {
  readonly runId: string;
  readonly changeSet: ChangeSet;
  readonly summary: RunSummary;
  /** Listener failures (`RS_ENGINE_E0009`); the run went on regardless. */
  readonly listenerErrors: readonly ErrorInfo[];
}

/** Options for {@link previewStack}. */
export interface PreviewOptions extends StackRunOptions {
  /** `dismantle` previews what `dismantleStack` would delete. Default `converge`. */
  readonly intent?: PlanIntent | undefined;
}

/** What {@link previewStack} returns. */
export interface PreviewOutcome extends RunOutcome {
  readonly counts: ChangeCounts;
  readonly drift: readonly DriftItem[];
}

/** What verbs that execute return. */
export interface ExecuteOutcome extends RunOutcome {
  readonly results: readonly NodeResult[];
  /** The stack's outputs as they stand after the run (secret ones flagged, not yet redacted). */
  readonly outputs: readonly ResolvedOutput[];
}

/** Options for {@link commitStack}. */
export interface CommitOptions extends StackRunOptions {
  /** A saved plan: commit refuses if config or live state moved since. */
  readonly savedPlan?: SavedPlanCheck | undefined;
}

/** Options for {@link alignStack}. */
export interface AlignOptions extends StackRunOptions {
  /** `false` (`--auto-heal=false`) reports only; otherwise each node's `driftPolicy` decides. */
  readonly autoHeal?: boolean | undefined;
}

/** What {@link alignStack} returns. */
export interface AlignOutcome extends ExecuteOutcome {
  /** Changes align carried out (see `results` for how each went). */
  readonly healed: readonly NodeChange[];
  /** Changes found but only reported: notify-only or non-healing policy, removals, `autoHeal: false`. */
  readonly reported: readonly NodeChange[];
}

/**
 * Observes the stack and computes its change set and drift, changing nothing.
 * Emits `run.started`, `plan.built`, `run.finished`.
 *
 * Throws what observation throws (`RunestoneAggregateError`), or `RS_ENGINE_E0006` for an unknown target.
 */
export async function previewStack(options: PreviewOptions): Promise<PreviewOutcome> {
  return runVerb('preview', options, async (run) => {
    const changeSet = await run.observeChanges(options.intent ?? 'converge');
    return { changeSet, summary: run.summary(changeSet, []), counts: countChanges(changeSet), drift: listDrift(changeSet) };
  });
}

/**
 * Observes, then executes the change set. With `savedPlan`, refuses (before any change)
 * when the configuration hash differs or any node's live fingerprint moved.
 *
 * Throws `PlanError` `RS_ENGINE_E0005`, `StalePlanError` `RS_ENGINE_E0004`, or what
 * observation throws. Node failures do not throw: they are in `results` and `summary`.
 */
export async function commitStack(options: CommitOptions): Promise<ExecuteOutcome> {
  return runVerb('commit', options, async (run) => {
    const changeSet = await run.observeChanges('converge', (cs) => {
      if (options.savedPlan !== undefined) checkSavedPlan(options.savedPlan, options.plan.configHash, cs);
    });
    return { changeSet, ...(await run.execute(changeSet)) };
  });
}

/**
 * One reconciliation pass: resources that are missing are created and drift is healed on
 * nodes whose policy is `autoHeal && !notifyOnly`; notify-only nodes, other drift and
 * removals are only reported. `autoHeal: false` reports everything. Never deletes.
 */
export async function alignStack(options: AlignOptions): Promise<AlignOutcome> {
  return runVerb('align', options, async (run) => {
    const found = await run.observeChanges('converge');
    const healed: NodeChange[] = [];
    const reported: NodeChange[] = [];
    for (const change of found.changes) {
      if (change.change.kind === 'no-op') continue;
      if (shouldHeal(change, options.autoHeal)) healed.push(change);
      else reported.push(change);
    }
    // What align does not heal still lends its live attributes to references (as a no-op).
    const healSet: ChangeSet = {
      ...found,
      changes: found.changes.flatMap((change): NodeChange[] => {
        if (healed.includes(change)) return [change];
        const kind = change.change.kind;
        if (kind === 'update' || kind === 'replace' || kind === 'no-op') return [{ ...change, change: { kind: 'no-op', before: change.change.before } }];
        return [];
      }),
    };
    return { changeSet: found, healed, reported, ...(await run.execute(healSet)) };
  });
}

/**
 * Deletes everything the stack owns (declared nodes that exist, plus discovered orphans)
 * in reverse dependency order. `targets` limits it to the targets and their dependents.
 */
export async function dismantleStack(options: StackRunOptions): Promise<ExecuteOutcome> {
  return runVerb('dismantle', options, async (run) => {
    const changeSet = await run.observeChanges('dismantle');
    return { changeSet, ...(await run.execute(changeSet)) };
  });
}

function shouldHeal(change: NodeChange, autoHeal: boolean | undefined): boolean {
  if (autoHeal === false || change.driftPolicy.notifyOnly) return false;
  switch (change.change.kind) {
    case 'create':
      return true;
    case 'update':
    case 'replace':
      return change.driftPolicy.autoHeal;
    default:
      return false;
  }
}

/** The steps a verb composes, bound to one run's bus and options. */
interface RunSteps {
  observeChanges(intent: PlanIntent, check?: (changeSet: ChangeSet) => void): Promise<ChangeSet>;
  execute(changeSet: ChangeSet): Promise<{ readonly results: readonly NodeResult[]; readonly summary: RunSummary; readonly outputs: readonly ResolvedOutput[] }>;
  summary(changeSet: ChangeSet, results: readonly NodeResult[]): RunSummary;
}

// Wraps a verb: events around it, listener error collection, run history.
async function runVerb<T extends { readonly changeSet: ChangeSet; readonly summary: RunSummary }>(
  verb: Verb,
  options: StackRunOptions,
  body: (steps: RunSteps) => Promise<T>,
): Promise<T & RunOutcome> {
  const now = options.now ?? systemNow;
  const sleep = options.sleep ?? systemSleep;
  const runId = options.runId ?? randomUUID();
  const user = options.user ?? currentUser();
  const redactor = redactorFor(options.plan);
  const bus = new EventBus({ redactor, ...(options.onListenerError === undefined ? {} : { onListenerError: options.onListenerError }) });
  for (const listener of [...(options.listener === undefined ? [] : [options.listener]), ...(options.listeners ?? [])]) bus.on(listener);
  const events = new RunEvents(bus, runId, now);
  const startedAt = now();
  const { plan, registry } = options;

  const steps: RunSteps = {
    async observeChanges(intent, check) {
      const observation = await observePlan(plan, {
        registry,
        store: options.store,
        signal: options.signal,
        parallelism: options.parallelism,
        providerParallelism: options.providerParallelism,
        redactor,
        now,
        forgetMissing: intent === 'dismantle',
        output: (nodeId, line, stream) => {
          events.nodeOutput(nodeId as NodeChange['nodeId'], line, stream);
        },
        retrying: (nodeId, retry) => {
          events.providerRetry(nodeId as NodeChange['nodeId'], retry);
        },
      });
      const changeSet = planChanges(observation, { intent, targets: options.targets, redactor });
      check?.(changeSet);
      events.planBuilt(plan.nodes.length, changeSet);
      return changeSet;
    },
    execute: async (changeSet) => {
      const executed = await executeChanges(changeSet, {
        plan,
        registry,
        verb,
        events,
        store: options.store,
        signal: options.signal,
        parallelism: options.parallelism,
        providerParallelism: options.providerParallelism,
        nodeTimeoutMs: options.nodeTimeoutMs,
        retry: options.retry,
        now,
        sleep,
        redactor,
      });
      return { results: executed.results, summary: executed.summary, outputs: verb === 'dismantle' ? [] : resolveOutputs(plan, changeSet, executed.attributes) };
    },
    summary: (changeSet, results) => ({
      verb,
      done: results.filter((r) => r.status === 'done').length,
      failed: results.filter((r) => r.status === 'failed').length,
      skipped: results.filter((r) => r.status === 'skipped').length,
      aborted: options.signal?.aborted ?? false,
      durationMs: now() - startedAt,
      counts: countChanges(changeSet),
    }),
  };

  events.runStarted(verb, plan.stack, user);
  let outcome: T;
  try {
    outcome = await body(steps);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    events.runFinished(steps.summary({ stack: plan.stack, changes: [], liveFingerprints: {} }, []), message);
    await bus.flush();
    throw error;
  }
  // The executor's summary covers only what it ran; the verb's duration covers the whole run.
  const summary: RunSummary = { ...outcome.summary, durationMs: now() - startedAt };
  events.runFinished(summary);
  await bus.flush();
  const finishedAt = now();
  await options.history?.record({ runId, stack: plan.stack, verb, user, startedAt: iso(startedAt), finishedAt: iso(finishedAt), summary });
  return { ...outcome, summary, runId, listenerErrors: bus.listenerErrors };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // Some containers have no passwd entry for the uid; the history still needs a name.
    return 'unknown';
  }
}

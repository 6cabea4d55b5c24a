import type { NodeId } from '../core/brands.ts';
import type { ProviderRetry } from '../providers/contract.ts';
import type { ChangeKind, ChangeSet } from './changes.ts';
import type { Now } from './clock.ts';
import type { EventBus } from './event-bus.ts';
import type { NodeResult, RunSummary, Verb } from './events.ts';

const PRESENT: Readonly<Record<ChangeKind, string>> = { create: 'Creating', update: 'Updating', replace: 'Replacing', delete: 'Deleting', 'no-op': 'Checking' };
const PAST: Readonly<Record<ChangeKind, string>> = { create: 'Created', update: 'Updated', replace: 'Replaced', delete: 'Deleted', 'no-op': 'Checked' };
const INFINITIVE: Readonly<Record<ChangeKind, string>> = { create: 'create', update: 'update', replace: 'replace', delete: 'delete', 'no-op': 'check' };

/** The infinitive of an action, for messages: `create`, `delete`. */
export function actionVerb(action: ChangeKind): string {
  return INFINITIVE[action];
}

/**
 * Builds the engine's events, with their codes and user-facing messages, and emits them on
 * a bus for one run. Keeps every event message in one place.
 */
export class RunEvents {
  readonly #bus: EventBus;
  readonly #runId: string;
  readonly #now: Now;

  constructor(bus: EventBus, runId: string, now: Now) {
    this.#bus = bus;
    this.#runId = runId;
    this.#now = now;
  }

  #base(): { readonly runId: string; readonly time: string } {
    return { runId: this.#runId, time: new Date(this.#now()).toISOString() };
  }

  /** `run.started` (`RS_ENGINE_I0001`). */
  runStarted(verb: Verb, stack: string, user: string): void {
    this.#bus.emit({ ...this.#base(), kind: 'run.started', level: 'info', code: 'RS_ENGINE_I0001', message: `Started ${verb} of stack "${stack}"`, data: { verb, stack, user } });
  }

  /** `plan.built` (`RS_ENGINE_I0002`). */
  planBuilt(nodes: number, changes: ChangeSet): void {
    const pending = changes.changes.filter((c) => c.change.kind !== 'no-op').length;
    this.#bus.emit({ ...this.#base(), kind: 'plan.built', level: 'info', code: 'RS_ENGINE_I0002', message: `Planned ${pending} change${pending === 1 ? '' : 's'} for ${nodes} resource${nodes === 1 ? '' : 's'}`, data: { nodes, changes } });
  }

  /** `node.started` (`RS_ENGINE_I0003`), once per attempt. */
  nodeStarted(nodeId: NodeId, action: ChangeKind, attempt: number): void {
    const message = `${PRESENT[action]} "${nodeId}"${attempt > 1 ? ` (attempt ${attempt})` : ''}`;
    this.#bus.emit({ ...this.#base(), kind: 'node.started', level: 'info', code: 'RS_ENGINE_I0003', message, data: { nodeId, action, attempt } });
  }

  /** `node.output` (`RS_ENGINE_I0004`): one line a provider streamed. */
  nodeOutput(nodeId: NodeId, line: string, stream: 'stdout' | 'stderr'): void {
    this.#bus.emit({ ...this.#base(), kind: 'node.output', level: 'debug', code: 'RS_ENGINE_I0004', message: line, data: { nodeId, stream, line } });
  }

  /** `provider.retry` (`RS_ENGINE_I0007`): a provider tries an API call again after a transient error. */
  providerRetry(nodeId: NodeId, retry: ProviderRetry): void {
    const message = `Retrying ${retry.operation} for "${nodeId}" (attempt ${retry.attempt}, after ${retry.code})`;
    this.#bus.emit({ ...this.#base(), kind: 'provider.retry', level: 'debug', code: 'RS_ENGINE_I0007', message, data: { nodeId, ...retry } });
  }

  /** `node.finished` (`RS_ENGINE_I0005`). */
  nodeFinished(result: NodeResult): void {
    const id = `"${result.nodeId}"`;
    let message: string;
    if (result.status === 'done') message = `${PAST[result.action]} ${id}`;
    else if (result.status === 'failed') message = `Cannot ${INFINITIVE[result.action]} ${id}: ${result.error?.message ?? 'unknown error'}`;
    else if (result.condition !== undefined) message = `Skipped ${id}: when ${result.condition.source} ${result.condition.value === 'false' ? 'is false' : 'could not be decided'}`;
    else if (result.skippedBecause !== undefined) message = `Skipped ${id}: dependency "${result.skippedBecause}" did not finish`;
    else message = `Skipped ${id}: the run was aborted`;
    const level = result.status === 'failed' ? 'error' : result.status === 'skipped' && result.condition === undefined ? 'warn' : 'info';
    this.#bus.emit({ ...this.#base(), kind: 'node.finished', level, code: 'RS_ENGINE_I0005', message, data: result });
  }

  /** `run.finished` (`RS_ENGINE_I0006`); `error` describes a run that stopped early. */
  runFinished(summary: RunSummary, error?: string): void {
    const parts = [`${summary.done} done`, `${summary.failed} failed`, `${summary.skipped} skipped`];
    const message = error === undefined ? `Finished ${summary.verb}: ${parts.join(', ')}${summary.aborted ? ' (aborted)' : ''}` : `Stopped ${summary.verb}: ${error}`;
    const level = error !== undefined || summary.failed > 0 ? 'error' : summary.aborted ? 'warn' : 'info';
    this.#bus.emit({ ...this.#base(), kind: 'run.finished', level, code: 'RS_ENGINE_I0006', message, data: summary });
  }
}

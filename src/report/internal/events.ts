// Hand-built run events for the report tests. Not exported from the folder.
import { asNodeId } from '../../core/index.ts';
import type { ChangeKind, ChangeSet } from '../../engine/changes.ts';
import type { NodeResult, RunEvent, RunSummary, Verb } from '../../engine/events.ts';

const BASE = { runId: 'run-1', time: '2025-01-01T00:00:00.000Z', level: 'info', message: '' } as const;

/** `run.started` for a verb. */
export const started = (verb: Verb): RunEvent => ({ ...BASE, kind: 'run.started', data: { verb, stack: 'demo/dev', user: 'tester' } });

/** `plan.built` carrying a change set. */
export const planned = (changes: ChangeSet): RunEvent => ({ ...BASE, kind: 'plan.built', data: { nodes: changes.changes.length, changes } });

/** `node.started`. */
export const nodeStarted = (id: string, action: ChangeKind): RunEvent => ({ ...BASE, kind: 'node.started', data: { nodeId: asNodeId(id), action, attempt: 1 } });

/** `node.output`. */
export const output = (id: string, line: string): RunEvent => ({ ...BASE, kind: 'node.output', data: { nodeId: asNodeId(id), stream: 'stdout', line } });

/** `node.finished` with a result. */
export const finished = (id: string, action: ChangeKind, status: NodeResult['status'], extra: Partial<Pick<NodeResult, 'error'>> & { readonly because?: string } = {}): RunEvent => ({
  ...BASE,
  kind: 'node.finished',
  data: {
    nodeId: asNodeId(id),
    action,
    status,
    durationMs: status === 'done' ? 12 : 0,
    attempts: status === 'skipped' ? 0 : 1,
    ...(extra.error === undefined ? {} : { error: extra.error }),
    ...(extra.because === undefined ? {} : { skippedBecause: asNodeId(extra.because) }),
  },
});

/** `run.finished` with a summary. */
export const ended = (verb: Verb, summary: Partial<RunSummary> = {}): RunEvent => ({
  ...BASE,
  kind: 'run.finished',
  data: { verb, done: 0, failed: 0, skipped: 0, aborted: false, durationMs: 1234, counts: { create: 0, update: 0, replace: 0, delete: 0, noop: 0, drift: 0 }, ...summary },
});

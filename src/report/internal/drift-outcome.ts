import type { DriftItem, ChangeSet } from '../../engine/changes.ts';
import type { NodeResult } from '../../engine/events.ts';

/** What became of drift in a run: healed, only reported (policy or no action), or failed. */
export interface DriftOutcome {
  readonly resolved: readonly DriftItem[];
  readonly reported: readonly DriftItem[];
  readonly failed: readonly DriftItem[];
}

/**
 * Sorts each drift item by what happened to its node: a node that finished `done` with a
 * real change healed its drift; a node that failed or was skipped did not; a node with no
 * result (notify-only, `--auto-heal=false`) only reported it.
 */
export function classifyDrift(changes: ChangeSet, results: ReadonlyMap<string, NodeResult>): DriftOutcome {
  const resolved: DriftItem[] = [];
  const reported: DriftItem[] = [];
  const failed: DriftItem[] = [];
  for (const node of changes.changes) {
    if (node.drift.length === 0) continue;
    const result = results.get(node.nodeId);
    if (result === undefined || (result.status === 'done' && result.action === 'no-op')) reported.push(...node.drift);
    else if (result.status === 'done') resolved.push(...node.drift);
    else failed.push(...node.drift);
  }
  return { resolved, reported, failed };
}

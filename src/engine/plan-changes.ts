import { createHash } from 'node:crypto';
import type { NodeId } from '../core/brands.ts';
import { stableStringify } from '../core/json.ts';
import type { Redactor } from '../core/redactor.ts';
import type { LiveState } from '../providers/contract.ts';
import type { ChangeCounts, ChangeSet, DriftItem, NodeChange } from './changes.ts';
import { describeDrift } from './diff.ts';
import type { Observation, ObservedNode, OrphanResource } from './observe.ts';
import { selectTargets } from './targets.ts';

/** What the change set is for: converge on config (preview/commit/align) or remove everything (dismantle). */
export type PlanIntent = 'converge' | 'dismantle';

/** Options for {@link planChanges}. */
export interface PlanChangesOptions {
  readonly intent?: PlanIntent;
  /** `--target` addresses; empty or absent means everything. */
  readonly targets?: readonly string[] | undefined;
  /** Redacts live state before fingerprinting, so fingerprints never depend on secrets in clear. */
  readonly redactor: Redactor;
}

/**
 * Turns an observation into a {@link ChangeSet}: one change per plan node in plan order,
 * then a `delete` per discovered orphan (by address). With intent `dismantle`, every plan
 * node that exists becomes a `delete` too. Targets limit the set to the targets and their
 * dependencies (converge) or dependents (dismantle). Pure.
 *
 * Throws `PlanError` `RS_ENGINE_E0006` for a target that matches nothing.
 */
export function planChanges(observation: Observation, options: PlanChangesOptions): ChangeSet {
  const intent = options.intent ?? 'converge';
  const changes: NodeChange[] = [];
  for (const seen of observation.nodes.values()) {
    const change = intent === 'converge' ? convergeChange(seen) : dismantleChange(seen);
    if (change !== undefined) changes.push(change);
  }
  for (const orphan of observation.orphans) changes.push(orphanChange(orphan));

  let selected = changes;
  const targets = options.targets ?? [];
  if (targets.length > 0) {
    const orphanAddresses = observation.orphans.map((o) => o.resource.address);
    const chosen = selectTargets(targets, observation.plan.nodes, orphanAddresses, intent === 'converge' ? 'dependencies' : 'dependents');
    selected = changes.filter((c) => chosen.has(c.nodeId));
  }

  const liveFingerprints: Record<string, string> = {};
  for (const change of selected) {
    const live = change.change.kind === 'create' ? undefined : change.change.before;
    liveFingerprints[change.nodeId] = fingerprintLive(live, options.redactor);
  }
  return { stack: observation.plan.stack, changes: selected, liveFingerprints };
}

/** The fingerprint a saved plan keeps per address: sha256 of the redacted live state (`null` when absent). */
export function fingerprintLive(live: LiveState | undefined, redactor: Redactor): string {
  return createHash('sha256')
    .update(stableStringify(live === undefined ? null : redactor.redact(live)))
    .digest('hex');
}

/** Counts the changes per kind, plus drift items, for summaries. */
export function countChanges(changeSet: ChangeSet): ChangeCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, noop: 0, drift: 0 };
  for (const { change, drift } of changeSet.changes) {
    if (change.kind === 'no-op') counts.noop++;
    else counts[change.kind]++;
    counts.drift += drift.length;
  }
  return counts;
}

/** Every drift item of a change set, in change order. */
export function listDrift(changeSet: ChangeSet): DriftItem[] {
  return changeSet.changes.flatMap((c) => c.drift);
}

function convergeChange(seen: ObservedNode): NodeChange {
  return {
    ...describeNode(seen),
    change: seen.change,
    drift: seen.live === undefined ? vanishedDrift(seen) : describeDrift(seen.node.id, seen.diff),
  };
}

// A declared resource Runestone saw before and that is gone now was deleted out of band.
function vanishedDrift(seen: ObservedNode): DriftItem[] {
  if (seen.lastSeenAt === undefined) return [];
  return [{ nodeId: seen.node.id, path: '', description: `was deleted outside Runestone (last seen ${seen.lastSeenAt})` }];
}

function dismantleChange(seen: ObservedNode): NodeChange | undefined {
  if (seen.live === undefined) return undefined;
  return { ...describeNode(seen), change: { kind: 'delete', before: seen.live }, drift: [] };
}

function describeNode(seen: ObservedNode): Omit<NodeChange, 'change' | 'drift'> {
  const { node } = seen;
  return {
    nodeId: node.id,
    kind: node.kind,
    name: node.name,
    provider: node.provider,
    driftPolicy: node.driftPolicy,
    dependsOn: [...new Set(node.edges.map((e) => e.to))],
    origin: node.origin,
    ...(node.module === undefined ? {} : { module: node.module }),
    ...(node.when === undefined ? {} : { condition: node.when.source }),
  };
}

function orphanChange(orphan: OrphanResource): NodeChange {
  const { resource } = orphan;
  const dot = resource.address.indexOf('.', resource.kind.length);
  return {
    nodeId: resource.address as NodeId,
    kind: resource.kind,
    name: dot === -1 ? resource.address : resource.address.slice(dot + 1),
    provider: orphan.provider,
    change: { kind: 'delete', before: resource.live },
    drift: [],
    // Removals are never healed by align and have no config, so no policy applies.
    driftPolicy: { autoHeal: false, notifyOnly: true },
    // Remembered from the last commit, so a dropped directory goes after the files in it.
    dependsOn: (resource.dependsOn ?? []) as readonly NodeId[],
  };
}

import type { NodeId } from '../core/brands.ts';
import type { JsonObject } from '../core/json.ts';
import type { SourceLocation } from '../core/location.ts';
import type { DriftPolicy } from '../plan/ir.ts';
import type { FieldDiff, LiveState } from '../providers/contract.ts';

/** Desired state as far as known at preview: properties plus the pointers still unknown. */
export interface DesiredState {
  readonly properties: JsonObject;
  readonly unknownPaths: readonly string[];
}

/** What will happen to one node. */
export type Change =
  | { readonly kind: 'create'; readonly after: DesiredState }
  | { readonly kind: 'update'; readonly before: LiveState; readonly after: DesiredState; readonly diff: readonly FieldDiff[] }
  | { readonly kind: 'replace'; readonly before: LiveState; readonly after: DesiredState; readonly diff: readonly FieldDiff[]; readonly reason: string }
  | { readonly kind: 'delete'; readonly before: LiveState }
  | { readonly kind: 'no-op'; readonly before: LiveState };

/** The kinds of change, in the order summaries list them. */
export type ChangeKind = Change['kind'];

/** A drift finding: live differs from config on a managed field of an existing resource. */
export interface DriftItem {
  readonly nodeId: NodeId;
  readonly path: string;
  /** e.g. `mode is 0600 (expected 0644)` or `has extra tag "env=qa"`. */
  readonly description: string;
}

/** One node's planned change, with everything a reporter or the executor needs. */
export interface NodeChange {
  readonly nodeId: NodeId;
  readonly kind: string;
  readonly name: string;
  readonly provider: string;
  readonly change: Change;
  readonly drift: readonly DriftItem[];
  readonly driftPolicy: DriftPolicy;
  /** Nodes this one depends on (for ordering and graphs). */
  readonly dependsOn: readonly NodeId[];
  /** Absent for removals of resources no longer in config. */
  readonly origin?: SourceLocation;
  readonly module?: string;
  /** A `when` decided only during commit (PlanNode.when): a preview shows the change as would-run. */
  readonly condition?: string;
}

/** The full preview: every node's change in plan order, then removals. */
export interface ChangeSet {
  readonly stack: string;
  readonly changes: readonly NodeChange[];
  /** Fingerprint of the live state each change was computed from; a saved plan checks it. */
  readonly liveFingerprints: Readonly<Record<string, string>>;
}

/** Counts per change kind plus drift, for summaries. */
export interface ChangeCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly noop: number;
  readonly drift: number;
}

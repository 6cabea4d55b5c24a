import type { NodeId } from '../core/brands.ts';
import type { RegisteredCode } from '../core/codes/index.ts';
import type { SourceLocation } from '../core/location.ts';
import type { ProviderRetry } from '../providers/contract.ts';
import type { ChangeCounts, ChangeKind, ChangeSet } from './changes.ts';

/** The verbs that run the pipeline. */
export type Verb = 'validate' | 'bootstrap' | 'preview' | 'commit' | 'align' | 'dismantle' | 'graph';

/** How a node ended. */
export type NodeStatus = 'done' | 'failed' | 'skipped';

/** An error as it travels in events and results: safe to show, no stack. */
export interface ErrorInfo {
  readonly code: RegisteredCode;
  readonly message: string;
  readonly hint?: string;
  readonly location?: SourceLocation;
}

/** Outcome of one node in a run. */
export interface NodeResult {
  readonly nodeId: NodeId;
  readonly action: ChangeKind;
  readonly status: NodeStatus;
  readonly durationMs: number;
  readonly attempts: number;
  readonly error?: ErrorInfo;
  /** For skipped nodes: the failed dependency that caused it. */
  readonly skippedBecause?: NodeId;
  /**
   * For nodes skipped by their own `when` (PlanNode.when): the condition as written, and
   * whether it was `false` or could not be decided (`unknown`). Their dependents still run.
   */
  readonly condition?: { readonly source: string; readonly value: 'false' | 'unknown' };
}

/** Totals for a finished run. */
export interface RunSummary {
  readonly verb: Verb;
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
  readonly aborted: boolean;
  readonly durationMs: number;
  readonly counts: ChangeCounts;
}

interface EventBase {
  readonly runId: string;
  /** ISO time. */
  readonly time: string;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  /** Safe to show to a user (secrets redacted). */
  readonly message: string;
  readonly code?: RegisteredCode;
}

/** Every event the engine emits; reporters and the JSONL writer consume these. */
export type RunEvent =
  | (EventBase & { readonly kind: 'run.started'; readonly data: { readonly verb: Verb; readonly stack: string; readonly user: string } })
  | (EventBase & { readonly kind: 'plan.built'; readonly data: { readonly nodes: number; readonly changes: ChangeSet } })
  | (EventBase & { readonly kind: 'node.started'; readonly data: { readonly nodeId: NodeId; readonly action: ChangeKind; readonly attempt: number } })
  | (EventBase & { readonly kind: 'node.output'; readonly data: { readonly nodeId: NodeId; readonly stream: 'stdout' | 'stderr'; readonly line: string } })
  | (EventBase & { readonly kind: 'node.finished'; readonly data: NodeResult })
  /** A provider retried one of its API calls; `nodeId` is the node (or, during discovery, the provider instance) it served. */
  | (EventBase & { readonly kind: 'provider.retry'; readonly data: { readonly nodeId: NodeId } & ProviderRetry })
  | (EventBase & { readonly kind: 'run.finished'; readonly data: RunSummary });

/** The event kinds. */
export type RunEventKind = RunEvent['kind'];

/** Something that wants events; may be async but never changes engine state. */
export type EventListener = (event: RunEvent) => void | Promise<void>;

import type { JsonObject, Redactor, SourceLocation } from '../core/index.ts';
import type { ChangeCounts, ChangeKind, ChangeSet, DriftItem, NodeChange } from '../engine/changes.ts';
import type { ErrorInfo, NodeResult, NodeStatus, RunSummary, Verb } from '../engine/events.ts';
import type { FieldDiff } from '../providers/contract.ts';
import { classifyDrift } from './internal/drift-outcome.ts';
import { countChanges } from './format.ts';

/** The version every Runestone document carries; bumped only with a new schema. */
export const API_VERSION = 'runestone.dev/v1';

/** A drift finding as published. */
export interface DriftEntry {
  readonly nodeId: string;
  readonly path: string;
  readonly description: string;
}

/** One node's planned change as published in a `Preview`. */
export interface ChangeEntry {
  readonly nodeId: string;
  readonly resourceKind: string;
  readonly name: string;
  readonly provider: string;
  readonly action: ChangeKind;
  readonly module?: string;
  readonly origin?: SourceLocation;
  readonly dependsOn: readonly string[];
  /** A `when` decided only during commit; the change would run if it holds. */
  readonly condition?: string;
  readonly driftPolicy: { readonly autoHeal: boolean; readonly notifyOnly: boolean };
  /** Provider identity of the live resource, when it exists. */
  readonly identity?: string;
  /** Live properties, when the resource exists. */
  readonly before?: JsonObject;
  /** Desired properties, for create, update and replace. */
  readonly after?: JsonObject;
  /** JSON pointers in `after` only known after commit. */
  readonly unknownPaths?: readonly string[];
  readonly diff?: readonly FieldDiff[];
  /** Why a replacement is needed. */
  readonly reason?: string;
}

/** The `--output json` document of `preview` (schema: `schemas/preview.schema.json`). */
export interface PreviewDocument {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'Preview';
  readonly stack: string;
  readonly generatedAt?: string;
  readonly summary: ChangeCounts;
  readonly hasChanges: boolean;
  readonly hasDrift: boolean;
  readonly drift: readonly DriftEntry[];
  readonly changes: readonly ChangeEntry[];
  /** Fingerprints of the live state the changes were computed from. */
  readonly liveFingerprints: Readonly<Record<string, string>>;
}

/** One node's outcome as published in a `CommitResult`. */
export interface ResultEntry {
  readonly nodeId: string;
  readonly action: ChangeKind;
  readonly status: NodeStatus;
  readonly durationMs: number;
  readonly attempts: number;
  readonly error?: ErrorInfo;
  readonly skippedBecause?: string;
  readonly condition?: { readonly source: string; readonly value: 'false' | 'unknown' };
}

/** The `--output json` document of `commit`, `align` and `dismantle` (schema: `schemas/result.schema.json`). */
export interface ResultDocument {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'CommitResult';
  readonly stack: string;
  readonly verb: Verb;
  readonly generatedAt?: string;
  readonly status: 'succeeded' | 'failed' | 'aborted';
  readonly summary: RunSummary;
  readonly results: readonly ResultEntry[];
  /** What became of the drift found before the run (present when the change set is known). */
  readonly drift?: { readonly resolved: readonly DriftEntry[]; readonly reported: readonly DriftEntry[]; readonly failed: readonly DriftEntry[] };
}

/** Options shared by the document builders. */
export interface DocumentOptions {
  readonly redactor?: Redactor;
  /** ISO time to stamp the document with; omitted by default so output is reproducible. */
  readonly generatedAt?: string;
}

/**
 * Builds the versioned `Preview` document of a change set, secrets redacted.
 *
 * @example
 * writer.write(serializeDocument(buildPreviewDocument(changes, { redactor })));
 */
export function buildPreviewDocument(changeSet: ChangeSet, options: DocumentOptions = {}): PreviewDocument {
  const safe = options.redactor === undefined ? changeSet : options.redactor.redact(changeSet);
  const summary = countChanges(safe);
  return {
    apiVersion: API_VERSION,
    kind: 'Preview',
    stack: safe.stack,
    ...(options.generatedAt === undefined ? {} : { generatedAt: options.generatedAt }),
    summary,
    hasChanges: summary.create + summary.update + summary.replace + summary.delete > 0,
    hasDrift: summary.drift > 0,
    drift: safe.changes.flatMap((node) => node.drift.map((item) => toDriftEntry(item))),
    changes: safe.changes.map((node) => toChangeEntry(node)),
    liveFingerprints: { ...safe.liveFingerprints },
  };
}

/**
 * Builds the versioned `CommitResult` document of a finished run. Pass the run's change
 * set to include what became of the drift (healed, reported only, failed).
 */
export function buildResultDocument(
  summary: RunSummary,
  results: readonly NodeResult[],
  options: DocumentOptions & { readonly stack: string; readonly changes?: ChangeSet },
): ResultDocument {
  const redact = <T>(value: T): T => (options.redactor === undefined ? value : options.redactor.redact(value));
  const safeResults = redact(results);
  let drift: ResultDocument['drift'];
  if (options.changes !== undefined) {
    const outcome = classifyDrift(redact(options.changes), new Map(safeResults.map((result) => [result.nodeId, result])));
    drift = { resolved: outcome.resolved.map(toDriftEntry), reported: outcome.reported.map(toDriftEntry), failed: outcome.failed.map(toDriftEntry) };
  }
  return {
    apiVersion: API_VERSION,
    kind: 'CommitResult',
    stack: options.stack,
    verb: summary.verb,
    ...(options.generatedAt === undefined ? {} : { generatedAt: options.generatedAt }),
    status: summary.aborted ? 'aborted' : summary.failed > 0 ? 'failed' : 'succeeded',
    summary,
    results: safeResults.map((result) => ({ ...result })),
    ...(drift === undefined ? {} : { drift }),
  };
}

/** Serializes a document as pretty JSON with a trailing newline, as stdout carries it. */
export function serializeDocument(document: PreviewDocument | ResultDocument | JsonObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

function toDriftEntry(item: DriftItem): DriftEntry {
  return { nodeId: item.nodeId, path: item.path, description: item.description };
}

function toChangeEntry(node: NodeChange): ChangeEntry {
  const change = node.change;
  const base = {
    nodeId: node.nodeId,
    resourceKind: node.kind,
    name: node.name,
    provider: node.provider,
    action: change.kind,
    ...(node.module === undefined ? {} : { module: node.module }),
    ...(node.origin === undefined ? {} : { origin: node.origin }),
    dependsOn: [...node.dependsOn],
    ...(node.condition === undefined ? {} : { condition: node.condition }),
    driftPolicy: { autoHeal: node.driftPolicy.autoHeal, notifyOnly: node.driftPolicy.notifyOnly },
  };
  const existing = change.kind === 'create' ? {} : { identity: change.before.identity, before: change.before.properties };
  const desired = change.kind === 'create' || change.kind === 'update' || change.kind === 'replace' ? { after: change.after.properties, unknownPaths: [...change.after.unknownPaths] } : {};
  const diff = change.kind === 'update' || change.kind === 'replace' ? { diff: change.diff } : {};
  const reason = change.kind === 'replace' ? { reason: change.reason } : {};
  return { ...base, ...existing, ...desired, ...diff, ...reason };
}

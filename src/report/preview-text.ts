import { assertNever } from '../core/index.ts';
import type { Redactor } from '../core/index.ts';
import type { ChangeKind, ChangeSet, NodeChange } from '../engine/changes.ts';
import { countChanges, formatDesiredFields, formatFieldDiff, missingUnknownFields, plural } from './format.ts';
import { CHANGE_SYMBOLS, PLAIN_STYLE } from './style.ts';
import type { Style } from './style.ts';

/** Options for {@link renderPreviewText}. */
export interface PreviewTextOptions {
  readonly style?: Style;
  /** Secrets to redact; values already `(secret)` stay as they are. */
  readonly redactor?: Redactor;
  /** Print the `Inspecting live infrastructure...` line first (default true). */
  readonly header?: boolean;
  /** List each node and its field changes under its summary line (default true). */
  readonly details?: boolean;
  /** The command in the `Next:` line (default `runestone commit`); `false` omits the line. */
  readonly next?: string | false;
}

/** What the first line says while live state is read. */
export const INSPECTING_LINE = 'Inspecting live infrastructure...';

/** What a preview with nothing to do and no drift says. */
export const NO_CHANGES_LINE = 'No changes. Infrastructure matches the configuration.';

/** The change kinds with a summary line, in the order they are listed. */
const LISTED_KINDS = ['create', 'update', 'replace', 'delete'] as const;
type ListedKind = (typeof LISTED_KINDS)[number];

/**
 * Renders a change set as the seed's "Option A" preview text:
 *
 * ```text
 * Inspecting live infrastructure...
 *
 * Drift detected:
 *   • host:file.motd content changed (sha256 1a2b3c4d → 5e6f7a8b)
 *
 * Changes detected:
 *   + 1 new resource will be created
 *   ~ 2 resources will be updated
 *   - 1 resource will be removed
 *
 * Next: run `runestone commit` to apply these changes.
 * ```
 *
 * With `details`, each node id follows its summary line with its field-level
 * `before → after` changes. The drift section appears only when there is drift.
 */
export function renderPreviewText(changeSet: ChangeSet, options: PreviewTextOptions = {}): string {
  const style = options.style ?? PLAIN_STYLE;
  const safe = options.redactor === undefined ? changeSet : options.redactor.redact(changeSet);
  const counts = countChanges(safe);
  const blocks: string[] = [];
  if (options.header ?? true) blocks.push(INSPECTING_LINE);

  const driftLines = renderDriftLines(safe, style);
  if (driftLines.length > 0) blocks.push(['Drift detected:', ...driftLines].join('\n'));

  const changeLines: string[] = [];
  for (const kind of LISTED_KINDS) {
    const count = counts[kind];
    if (count === 0) continue;
    changeLines.push(`  ${style.change(kind, `${CHANGE_SYMBOLS[kind]} ${describeCount(kind, count)}`)}`);
    if (options.details ?? true) {
      for (const node of safe.changes) {
        if (node.change.kind === kind) changeLines.push(...renderNodeDetails(node, style));
      }
    }
  }

  if (changeLines.length === 0) {
    blocks.push(driftLines.length === 0 ? NO_CHANGES_LINE : 'No changes planned.');
  } else {
    blocks.push(['Changes detected:', ...changeLines].join('\n'));
    const next = options.next ?? 'runestone commit';
    if (next !== false) blocks.push(`Next: run \`${next}\` to apply these changes.`);
  }
  return `${blocks.join('\n\n')}\n`;
}

/** The drift bullets of a change set: `  • <node id> <description>`, painted as drift. */
export function renderDriftLines(changeSet: ChangeSet, style: Style = PLAIN_STYLE): string[] {
  const lines: string[] = [];
  for (const node of changeSet.changes) {
    for (const item of node.drift) lines.push(`  ${style.paint('drift', '•')} ${node.nodeId} ${item.description}`);
  }
  return lines;
}

/** `1 new resource will be created`, `2 resources will be updated`, ... */
export function describeCount(kind: ListedKind, count: number): string {
  switch (kind) {
    case 'create':
      return `${plural(count, 'new resource')} will be created`;
    case 'update':
      return `${plural(count, 'resource')} will be updated`;
    case 'replace':
      return `${plural(count, 'resource')} will be replaced`;
    case 'delete':
      return `${plural(count, 'resource')} will be removed`;
    default:
      return assertNever(kind);
  }
}

function renderNodeDetails(node: NodeChange, style: Style): string[] {
  const change = node.change;
  const when = node.condition === undefined ? '' : ` (would run: when ${node.condition} is decided during commit)`;
  const head = `    ${style.change(change.kind, symbolOf(change.kind))} ${node.nodeId}${when}`;
  const fields = (lines: readonly string[]): string[] => lines.map((line) => `        ${line}`);
  switch (change.kind) {
    case 'create':
      return [head, ...fields([...formatDesiredFields(change.after), ...missingUnknownFields(change.after)])];
    case 'update':
      return [head, ...fields(change.diff.map((diff) => formatFieldDiff(diff)))];
    case 'replace':
      return [`${head} (${change.reason})`, ...fields(change.diff.map((diff) => formatFieldDiff(diff)))];
    case 'delete':
      return [head];
    case 'no-op':
      return [];
    default:
      return assertNever(change);
  }
}

function symbolOf(kind: ChangeKind): string {
  return CHANGE_SYMBOLS[kind];
}

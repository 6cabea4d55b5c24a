import { assertNever } from '../core/index.ts';
import type { Redactor } from '../core/index.ts';
import type { ChangeSet, NodeChange } from '../engine/changes.ts';
import type { NodeResult, RunSummary } from '../engine/events.ts';
import { graphFromChangeSet, markersFromChangeSet, renderGraphMermaid } from './graph.ts';
import { countChanges, displayPath, formatDesired, formatDuration, formatValue, UNKNOWN_PLACEHOLDER, unknownBelow } from './format.ts';
import { NO_CHANGES_LINE } from './preview-text.ts';
import { CHANGE_SYMBOLS } from './style.ts';

/** Options for the Markdown renderers. */
export interface MarkdownOptions {
  readonly redactor?: Redactor;
  /** Include the Mermaid graph of changed nodes (default true). */
  readonly graph?: boolean;
}

const VERB: Readonly<Record<'create' | 'update' | 'replace' | 'delete', string>> = {
  create: 'will be created',
  update: 'will be updated',
  replace: 'will be replaced',
  delete: 'will be removed',
};

/**
 * Renders a preview as Markdown for a pull-request comment: a summary table, the drift
 * list, one collapsible `<details>` block per changed node with its field changes, and a
 * Mermaid graph of the changed nodes coloured by change kind.
 */
export function renderPreviewMarkdown(changeSet: ChangeSet, options: MarkdownOptions = {}): string {
  const safe = options.redactor === undefined ? changeSet : options.redactor.redact(changeSet);
  const counts = countChanges(safe);
  const out: string[] = [`## Runestone preview: ${code(safe.stack)}`, ''];
  const changed = safe.changes.filter((node) => node.change.kind !== 'no-op');

  if (changed.length === 0 && counts.drift === 0) {
    out.push(NO_CHANGES_LINE, '');
    return out.join('\n');
  }
  out.push(
    '| | Change | Resources |',
    '| :-: | --- | ---: |',
    `| ${code('+')} | Create | ${counts.create} |`,
    `| ${code('~')} | Update | ${counts.update} |`,
    `| ${code('±')} | Replace | ${counts.replace} |`,
    `| ${code('-')} | Remove | ${counts.delete} |`,
    `| | Unchanged | ${counts.noop} |`,
    `| | Drift findings | ${counts.drift} |`,
    '',
  );

  if (counts.drift > 0) {
    out.push('### Drift detected', '');
    for (const node of safe.changes) for (const item of node.drift) out.push(`- ${code(node.nodeId)}: ${escapeText(item.description)}`);
    out.push('');
  }

  if (changed.length > 0) {
    out.push('### Changes', '');
    for (const node of changed) out.push(...renderNodeBlock(node));
  }

  if ((options.graph ?? true) && changed.length > 0) {
    const graph = graphFromChangeSet(safe, { changedOnly: true });
    out.push('### Graph', '', '```mermaid', renderGraphMermaid(graph, { markers: markersFromChangeSet(safe) }).trimEnd(), '```', '');
  }
  if (changed.length > 0) out.push('Next: run `runestone commit` to apply these changes.', '');
  return out.join('\n');
}

/** Renders a finished run (commit, align, dismantle) as Markdown: totals and every failure. */
export function renderResultMarkdown(summary: RunSummary, results: readonly NodeResult[], options: { readonly stack: string; readonly redactor?: Redactor }): string {
  const safe = options.redactor === undefined ? results : options.redactor.redact(results);
  const status = summary.aborted ? 'aborted' : summary.failed > 0 ? 'failed' : 'succeeded';
  const out = [
    `## Runestone ${summary.verb} ${status}: ${code(options.stack)}`,
    '',
    `| Done | Failed | Skipped | Duration |`,
    '| ---: | ---: | ---: | ---: |',
    `| ${summary.done} | ${summary.failed} | ${summary.skipped} | ${formatDuration(summary.durationMs)} |`,
    '',
  ];
  const failed = safe.filter((result) => result.status === 'failed');
  if (failed.length > 0) {
    out.push('### Failed', '');
    for (const result of failed) {
      out.push(`- ${code(result.nodeId)}: ${escapeText(result.error?.message ?? 'failed')}${result.error === undefined ? '' : ` (${code(result.error.code)})`}`);
    }
    out.push('');
  }
  const skipped = safe.filter((result) => result.status === 'skipped');
  if (skipped.length > 0) {
    out.push('### Skipped', '');
    for (const result of skipped) {
      const why = result.condition !== undefined ? ` because when ${code(result.condition.source)} ${result.condition.value === 'false' ? 'is false' : 'could not be decided'}` : result.skippedBecause === undefined ? '' : ` because ${code(result.skippedBecause)} failed`;
      out.push(`- ${code(result.nodeId)}${why}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function renderNodeBlock(node: NodeChange): string[] {
  const change = node.change;
  if (change.kind === 'no-op') return [];
  const summary = `<summary>${code(CHANGE_SYMBOLS[change.kind])} ${code(node.nodeId)} ${VERB[change.kind]}</summary>`;
  const rows: string[] = [];
  switch (change.kind) {
    case 'create':
      for (const [key, value] of Object.entries(change.after.properties)) {
        rows.push(`| ${code(key)} | | ${code(formatDesired(value, unknownBelow(change.after, key)))} |`);
      }
      break;
    case 'update':
    case 'replace':
      for (const diff of change.diff) {
        const after = diff.unknownAfter === true ? UNKNOWN_PLACEHOLDER : diff.after === undefined ? '(removed)' : formatValue(diff.after);
        const forces = diff.forcesReplace ? ' (forces replacement)' : '';
        rows.push(`| ${code(displayPath(diff.path))} | ${code(formatValue(diff.before))} | ${code(after)}${forces} |`);
      }
      break;
    case 'delete':
      break;
    default:
      return assertNever(change);
  }
  const body = change.kind === 'replace' ? [`Replaced because ${escapeText(change.reason)}.`, ''] : [];
  const table = rows.length === 0 ? [] : ['| Field | Before | After |', '| --- | --- | --- |', ...rows, ''];
  return ['<details>', summary, '', ...body, ...table, '</details>', ''];
}

/** Inline code safe in tables and HTML: `<code>` with entities, so `|` and backticks cannot break out. */
function code(text: string): string {
  return `<code>${escapeHtml(text).replaceAll('|', '&#124;')}</code>`;
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Plain text in Markdown: HTML and Markdown punctuation that would change meaning is escaped. */
function escapeText(text: string): string {
  return escapeHtml(text).replace(/([\\`*_[\]|])/g, '\\$1');
}

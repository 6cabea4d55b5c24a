import type { Redactor } from '../core/index.ts';
import type { ChangeSet, NodeChange } from '../engine/changes.ts';
import type { NodeResult, RunEvent, RunSummary, Verb } from '../engine/events.ts';
import { classifyDrift } from './internal/drift-outcome.ts';
import { formatDuration, plural } from './format.ts';
import { renderGraphText } from './graph-text.ts';
import { graphFromChangeSet, markersFromChangeSet, markersFromResults } from './graph.ts';
import type { GraphMarker } from './graph.ts';
import type { OutputWriter } from './output-writer.ts';
import { INSPECTING_LINE, renderPreviewText } from './preview-text.ts';
import type { Reporter } from './reporter.ts';
import { CHANGE_SYMBOLS, createStyle } from './style.ts';
import type { Style } from './style.ts';

/** Options for {@link createConsoleReporter}. */
export interface ConsoleReporterOptions {
  readonly writer: OutputWriter;
  readonly redactor?: Redactor;
  /** Defaults to colour when `writer.color` is set. */
  readonly style?: Style;
  /** Print the plan when it is built: the preview text, or dismantle's removal list (default true). */
  readonly announcePlan?: boolean;
  /** `--graph`: draw the DAG with planned markers when the plan is built, and with `[✓]`/`[✗]` at the end. */
  readonly graph?: boolean;
}

const HEADERS: Partial<Record<Verb, string>> = {
  preview: INSPECTING_LINE,
  commit: 'Committing infrastructure changes...',
  align: 'Aligning desired state with reality...',
};

const DONE_WORD = { create: 'Created', update: 'Updated', replace: 'Replaced', delete: 'Removed' } as const;
const CLEAR_LINE = '\r\u001b[2K';

/**
 * The human reporter. On a TTY it keeps one live progress line, rewritten in place; elsewhere
 * it prints plain lines only (`+ Created host:file.motd (12ms)`, `✗ Failed ...: message`,
 * `Skipped ... (because ... failed)`), with streamed command output indented. It ends with
 * the seed's summary (`Commit complete (duration: 1.2s)`, `Infrastructure aligned (N drift
 * issues resolved)`, `Dismantle complete (...)`) or a failure summary naming what was done,
 * failed and skipped.
 */
export function createConsoleReporter(options: ConsoleReporterOptions): Reporter {
  return new ConsoleReporter(options);
}

class ConsoleReporter implements Reporter {
  readonly #writer: OutputWriter;
  readonly #style: Style;
  readonly #redactor: Redactor | undefined;
  readonly #announce: boolean;
  readonly #graph: boolean;
  #verb: Verb = 'commit';
  #changes: ChangeSet | undefined;
  readonly #byId = new Map<string, NodeChange>();
  readonly #results = new Map<string, NodeResult>();
  readonly #running = new Set<string>();
  #total = 0;
  #progress = '';
  /** True when the last line written was not blank, so a summary needs a blank line first. */
  #gap = false;

  constructor(options: ConsoleReporterOptions) {
    this.#writer = options.writer;
    this.#style = options.style ?? createStyle({ color: options.writer.color });
    this.#redactor = options.redactor;
    this.#announce = options.announcePlan ?? true;
    this.#graph = options.graph ?? false;
  }

  onRunStart(event: Extract<RunEvent, { kind: 'run.started' }>): void {
    // One reporter may see several runs (align --watch); each starts clean.
    this.#verb = event.data.verb;
    this.#changes = undefined;
    this.#byId.clear();
    this.#results.clear();
    this.#running.clear();
    this.#total = 0;
    const header = HEADERS[this.#verb];
    if (header !== undefined) this.#line(`${header}\n`);
  }

  onPlanReady(changes: ChangeSet): void {
    const safe = this.#redactor === undefined ? changes : this.#redactor.redact(changes);
    this.#changes = safe;
    for (const node of safe.changes) this.#byId.set(node.nodeId, node);
    this.#total = safe.changes.filter((node) => node.change.kind !== 'no-op').length;
    if (this.#graph && this.#verb !== 'preview') this.#line(this.#drawGraph(markersFromChangeSet(safe)));
    if (!this.#announce) return;
    if (this.#verb === 'preview') {
      this.#line(renderPreviewText(safe, { header: false, style: this.#style }).trimEnd());
    } else if (this.#verb === 'dismantle') {
      const removals = safe.changes.filter((node) => node.change.kind === 'delete');
      if (removals.length === 0) this.#line('Nothing to remove.\n');
      else this.#line(['The following resources will be removed:', ...removals.map((node) => `  ${this.#style.change('delete', '-')} ${node.nodeId}`), ''].join('\n'));
    }
  }

  onNodeStart(event: Extract<RunEvent, { kind: 'node.started' }>): void {
    this.#running.add(event.data.nodeId);
    this.#drawProgress();
  }

  onNodeOutput(event: Extract<RunEvent, { kind: 'node.output' }>): void {
    const text = this.#redactor === undefined ? event.data.line : this.#redactor.redactText(event.data.line);
    this.#line(`    [${event.data.nodeId}] ${text}`);
  }

  onNodeResult(result: NodeResult): void {
    const safe = this.#redactor === undefined ? result : this.#redactor.redact(result);
    this.#results.set(safe.nodeId, safe);
    this.#running.delete(safe.nodeId);
    const line = this.#resultLine(safe);
    if (line === undefined) this.#drawProgress();
    else this.#line(line);
  }

  onRunEnd(summary: RunSummary): void {
    this.#running.clear();
    this.#clearProgress();
    if (this.#verb === 'preview' || this.#verb === 'validate' || this.#verb === 'graph' || this.#verb === 'bootstrap') return;
    // Stopped before a plan was built (unreadable resource, stale saved plan): nothing ran,
    // and the CLI prints the error; a "complete" summary here would say the opposite.
    if (this.#changes === undefined && this.#results.size === 0) return;
    const body: string[] = [];
    if (this.#verb === 'align') body.push(...this.#alignDriftLines());
    const changed = [...this.#results.values()].some((result) => result.action !== 'no-op');
    if (!changed && summary.failed === 0 && !summary.aborted && this.#verb === 'commit') body.push('No changes. Infrastructure matches the configuration.');
    if (body.length > 0) this.#line(body.join('\n'));
    if (this.#graph && this.#changes !== undefined) {
      this.#line(`${this.#gap ? '\n' : ''}${this.#drawGraph(markersFromResults(this.#results.values(), markersFromChangeSet(this.#changes)))}`);
    }
    this.#line(`${this.#gap ? '\n' : ''}${this.#summaryLines(summary).join('\n')}`);
  }

  #resultLine(result: NodeResult): string | undefined {
    const style = this.#style;
    const duration = `(${formatDuration(result.durationMs)})`;
    switch (result.status) {
      case 'done': {
        if (result.action === 'no-op') return undefined;
        const drift = this.#byId.get(result.nodeId)?.drift ?? [];
        if (this.#verb === 'align' && drift.length > 0) {
          return drift.map((item) => `  ${style.paint('drift', '•')} Healed ${result.nodeId}: ${item.description} ${duration}`).join('\n');
        }
        return `  ${style.change(result.action, `${CHANGE_SYMBOLS[result.action]} ${DONE_WORD[result.action]}`)} ${result.nodeId} ${duration}`;
      }
      case 'failed': {
        const message = result.error?.message ?? 'failed';
        const hint = result.error?.hint === undefined ? '' : `\n      ${style.paint('hint', 'hint:')} ${result.error.hint}`;
        return `  ${style.paint('failed', '✗ Failed')} ${result.nodeId}: ${message}${hint}`;
      }
      case 'skipped':
        if (result.condition !== undefined) {
          return `  ${style.paint('dim', 'Skipped')} ${result.nodeId} (when ${result.condition.source} ${result.condition.value === 'false' ? 'is false' : 'could not be decided'})`;
        }
        return `  ${style.paint('dim', 'Skipped')} ${result.nodeId} ${result.skippedBecause === undefined ? '(run stopped)' : `(because ${result.skippedBecause} failed)`}`;
    }
  }

  #drawGraph(markers: ReadonlyMap<string, GraphMarker>): string {
    const graph = graphFromChangeSet(this.#changes ?? { stack: '', changes: [], liveFingerprints: {} });
    return renderGraphText(graph, { markers, style: this.#style, width: this.#writer.columns ?? 100 });
  }

  #alignDriftLines(): string[] {
    if (this.#changes === undefined) return [];
    const outcome = classifyDrift(this.#changes, this.#results);
    return outcome.reported.map((item) => {
      const policy = this.#byId.get(item.nodeId)?.driftPolicy;
      const why = policy?.notifyOnly === true ? 'notify-only' : 'auto-heal off';
      return `  ${this.#style.paint('drift', '!')} Not healed ${item.nodeId}: ${item.description} (${why})`;
    });
  }

  #summaryLines(summary: RunSummary): string[] {
    const duration = formatDuration(summary.durationMs);
    const title = summary.verb.charAt(0).toUpperCase() + summary.verb.slice(1);
    if (summary.failed === 0 && !summary.aborted) {
      if (summary.verb === 'align') return [this.#style.paint('success', `Infrastructure aligned (${this.#alignCounts()})`)];
      return [this.#style.paint('success', `${title} complete (duration: ${duration})`)];
    }
    const results = [...this.#results.values()];
    const ids = (status: NodeResult['status']): string => {
      const list = results.filter((result) => result.status === status && result.action !== 'no-op').map((result) => result.nodeId);
      return list.length === 0 ? '(none)' : list.join(', ');
    };
    const lines = [
      this.#style.paint('failed', `${title} ${summary.aborted ? 'aborted' : 'failed'} (duration: ${duration}): ${summary.done} done, ${summary.failed} failed, ${summary.skipped} skipped`),
      `  Done:    ${ids('done')}`,
      `  Failed:  ${ids('failed')}`,
      `  Skipped: ${ids('skipped')}`,
    ];
    if (summary.aborted) lines.push('Stopped on request: nothing new was started and running work was let finish');
    return lines;
  }

  #alignCounts(): string {
    if (this.#changes === undefined) return plural(0, 'drift issue') + ' resolved';
    const outcome = classifyDrift(this.#changes, this.#results);
    if (outcome.resolved.length + outcome.reported.length + outcome.failed.length === 0) return 'no drift found';
    const resolved = `${plural(outcome.resolved.length, 'drift issue')} resolved`;
    return outcome.reported.length === 0 ? resolved : `${resolved}, ${outcome.reported.length} reported only`;
  }

  /** Writes permanent lines; on a TTY the progress line is cleared first and redrawn after. */
  #line(text: string): void {
    this.#clearProgress();
    this.#writer.write(`${text}\n`);
    this.#gap = text !== '' && !text.endsWith('\n');
    this.#drawProgress();
  }

  #clearProgress(): void {
    if (this.#progress === '') return;
    this.#writer.write(CLEAR_LINE);
    this.#progress = '';
  }

  #drawProgress(): void {
    if (!this.#writer.isTTY || this.#running.size === 0) {
      this.#clearProgress();
      return;
    }
    const finished = [...this.#results.values()].filter((result) => result.action !== 'no-op').length;
    const running = [...this.#running];
    const more = running.length > 2 ? ` +${running.length - 2} more` : '';
    const text = `… ${finished}/${this.#total} · ${running.slice(0, 2).join(', ')}${more}`;
    const max = Math.max(10, (this.#writer.columns ?? 80) - 1);
    const clipped = text.length > max ? `${text.slice(0, max - 1)}…` : text;
    if (clipped === this.#progress) return;
    this.#writer.write(`${CLEAR_LINE}${this.#style.paint('dim', clipped)}`);
    this.#progress = clipped;
  }
}

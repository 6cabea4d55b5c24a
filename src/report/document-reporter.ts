import type { ChangeSet } from '../engine/changes.ts';
import type { NodeResult, RunEvent, RunSummary } from '../engine/events.ts';
import { buildPreviewDocument, buildResultDocument, serializeDocument } from './json-document.ts';
import { renderPreviewMarkdown, renderResultMarkdown } from './markdown.ts';
import type { Reporter, ReporterContext } from './reporter.ts';

/** The document formats `--output` accepts besides the console text. */
export type DocumentFormat = 'json' | 'markdown';

/**
 * A reporter that stays silent during the run and writes one document when it ends:
 * a `Preview` after `preview`, a `CommitResult` after the other verbs (`--output json`),
 * or their Markdown forms (`--output markdown`). stdout then carries only that document.
 */
export function createDocumentReporter(format: DocumentFormat, context: ReporterContext): Reporter {
  let stack = '';
  let changes: ChangeSet | undefined;
  const results: NodeResult[] = [];
  const redactor = context.redactor === undefined ? {} : { redactor: context.redactor };
  return {
    onRunStart(event: Extract<RunEvent, { kind: 'run.started' }>): void {
      stack = event.data.stack;
      changes = undefined;
      results.length = 0;
    },
    onPlanReady(planned: ChangeSet): void {
      changes = planned;
    },
    onNodeResult(result: NodeResult): void {
      results.push(result);
    },
    onRunEnd(summary: RunSummary): void {
      if (summary.verb === 'preview') {
        if (changes === undefined) return;
        context.writer.write(format === 'json' ? serializeDocument(buildPreviewDocument(changes, redactor)) : renderPreviewMarkdown(changes, redactor));
        return;
      }
      context.writer.write(
        format === 'json'
          ? serializeDocument(buildResultDocument(summary, results, { stack, ...redactor, ...(changes === undefined ? {} : { changes }) }))
          : renderResultMarkdown(summary, results, { stack, ...redactor }),
      );
    },
  };
}

// The report folder's public surface: output for people (console text, graphs, diagnostics)
// and for machines (JSON documents, Markdown, JSON Lines events).
export { createConsoleReporter } from './console-reporter.ts';
export type { ConsoleReporterOptions } from './console-reporter.ts';
export { formatDiagnostic, formatDiagnostics, isUserError, renderCodeFrame } from './diagnostics.ts';
export type { DiagnosticOptions } from './diagnostics.ts';
export { createDocumentReporter } from './document-reporter.ts';
export type { DocumentFormat } from './document-reporter.ts';
export { renderGraphText } from './graph-text.ts';
export type { GraphTextOptions } from './graph-text.ts';
export {
  buildGraphDocument,
  dependencyMap,
  GRAPH_MARKERS,
  graphFromChangeSet,
  graphFromPlan,
  isGraphFormat,
  layerGraph,
  markersFromChangeSet,
  markersFromResults,
  renderGraphDot,
  renderGraphMermaid,
} from './graph.ts';
export type { DependencyGraph, GraphDocument, GraphEdge, GraphFormat, GraphMarker, GraphNode } from './graph.ts';
export { countChanges, formatDuration, formatFieldDiff, formatValue, plural, UNKNOWN_PLACEHOLDER } from './format.ts';
export { API_VERSION, buildPreviewDocument, buildResultDocument, serializeDocument } from './json-document.ts';
export type { ChangeEntry, DocumentOptions, DriftEntry, PreviewDocument, ResultDocument, ResultEntry } from './json-document.ts';
export { createJsonlWriter, formatEventLine, openJsonlFile } from './jsonl-writer.ts';
export type { LineSink } from './jsonl-writer.ts';
export { renderPreviewMarkdown, renderResultMarkdown } from './markdown.ts';
export type { MarkdownOptions } from './markdown.ts';
export { createMemoryWriter } from './output-writer.ts';
export type { MemoryWriter, OutputWriter } from './output-writer.ts';
export { describeCount, INSPECTING_LINE, NO_CHANGES_LINE, renderDriftLines, renderPreviewText } from './preview-text.ts';
export type { PreviewTextOptions } from './preview-text.ts';
export { dispatchEvent, toEventListener } from './reporter.ts';
export type { Reporter, ReporterContext, ReporterFactory } from './reporter.ts';
export { findReporter, listReporterNames, REPORTERS } from './reporters.ts';
export { CHANGE_SYMBOLS, createStyle, PLAIN_STYLE, stripAnsi } from './style.ts';
export type { Style, StyleRole } from './style.ts';

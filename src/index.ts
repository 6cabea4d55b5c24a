// Runestone as a library: the pipeline stages and verbs the CLI is a thin shell over.
// Names are listed one by one (STYLE.md §2); everything else is internal.
export { loadStack, STACK_SCHEMA, MODULE_SCHEMA } from './config/index.ts';
export type { ConfigFiles, LoadStackOptions, StackConfig } from './config/index.ts';
export {
  AbortError,
  CODES,
  ConfigError,
  describeCode,
  ExprError,
  isRunestoneError,
  listErrors,
  PlanError,
  ProviderError,
  Redactor,
  RunestoneAggregateError,
  RunestoneError,
} from './core/index.ts';
export type { NodeId, RegisteredCode, SourceLocation } from './core/index.ts';
export { alignStack, commitStack, dismantleStack, previewStack, resolveOutputs } from './engine/index.ts';
export type {
  AlignOptions,
  AlignOutcome,
  Change,
  ChangeSet,
  CommitOptions,
  ExecuteOutcome,
  NodeChange,
  PreviewOptions,
  PreviewOutcome,
  ResolvedOutput,
  RunEvent,
  RunSummary,
  StackRunOptions,
} from './engine/index.ts';
export { createModuleResolver, resolveModules } from './modules/index.ts';
export { buildPlan } from './plan/index.ts';
export type { BuildPlanOptions, Plan, PlanNode, VariableOverrides } from './plan/index.ts';
export { BUILTIN_PROVIDER_TYPES } from './providers/builtin.ts';
export type { KindHandler, LiveState, Provider, ProviderContext, ProviderRetry } from './providers/contract.ts';
export { ProviderRegistry } from './providers/registry.ts';
export type { ProviderType } from './providers/registry.ts';
export {
  buildPreviewDocument,
  buildResultDocument,
  createConsoleReporter,
  createJsonlWriter,
  formatDiagnostics,
  renderPreviewMarkdown,
  renderPreviewText,
} from './report/index.ts';
export type { Reporter } from './report/index.ts';
export { openStore } from './store/index.ts';
export type { LocalStore } from './store/index.ts';

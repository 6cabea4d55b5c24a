export { assertNever } from './assert-never.ts';
export { asNodeId } from './brands.ts';
export type { Brand, NodeId } from './brands.ts';
export type { Code, CodeArea, CodeInfo, CodeTable } from './codes/code.ts';
export { CODES, describeCode } from './codes/index.ts';
export type { RegisteredCode } from './codes/index.ts';
export {
  AbortError,
  ConfigError,
  ExprError,
  isRunestoneError,
  listErrors,
  PlanError,
  ProviderError,
  RunestoneAggregateError,
  RunestoneError,
} from './errors.ts';
export type { ErrorSource, RunestoneErrorOptions } from './errors.ts';
export { isPlainObject, jsonEqual, stableStringify } from './json.ts';
export type { JsonObject, JsonValue } from './json.ts';
export { formatLocation } from './location.ts';
export type { SourceLocation } from './location.ts';
export { Redactor, SECRET_PLACEHOLDER } from './redactor.ts';

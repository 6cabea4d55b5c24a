import type { RegisteredCode } from './codes/index.ts';
import type { SourceLocation } from './location.ts';

/** Whose fault an error is: the user's input, or a bug in Runestone. */
export type ErrorSource = 'user' | 'internal';

/** Options every Runestone error accepts. */
export interface RunestoneErrorOptions {
  readonly source?: ErrorSource;
  readonly location?: SourceLocation;
  /** One sentence on what to do next; printed apart from the message. */
  readonly hint?: string;
  readonly cause?: unknown;
}

/** The base of every error Runestone throws on purpose; carries a stable registered code. */
export class RunestoneError extends Error {
  readonly code: RegisteredCode;
  readonly source: ErrorSource;
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;

  constructor(code: RegisteredCode, message: string, options: RunestoneErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.source = options.source ?? 'user';
    this.location = options.location;
    this.hint = options.hint;
  }
}

/** Invalid configuration: YAML, schema, variables, modules. Exit code 2. */
export class ConfigError extends RunestoneError {}

/** An expression that does not parse, type-check or evaluate. Exit code 2. */
export class ExprError extends RunestoneError {}

/** A plan that cannot be built: unknown address, cycle, duplicate id. Exit code 2. */
export class PlanError extends RunestoneError {}

/** A provider call that failed. `retryable` errors are retried with backoff. */
export class ProviderError extends RunestoneError {
  readonly retryable: boolean;
  constructor(code: RegisteredCode, message: string, options: RunestoneErrorOptions & { readonly retryable?: boolean } = {}) {
    super(code, message, options);
    this.retryable = options.retryable ?? false;
  }
}

/** Work stopped because the run was aborted (Ctrl-C or a timeout). */
export class AbortError extends RunestoneError {}

/** Several errors found together (e.g. every schema violation in a file). */
export class RunestoneAggregateError extends RunestoneError {
  readonly errors: readonly RunestoneError[];
  constructor(errors: readonly RunestoneError[]) {
    const first = errors[0];
    if (first === undefined) throw new Error('RunestoneAggregateError needs at least one error');
    super(first.code, errors.length === 1 ? first.message : `${errors.length} errors, first: ${first.message}`, {
      source: first.source,
      ...(first.location === undefined ? {} : { location: first.location }),
    });
    this.errors = errors;
  }
}

/** Type guard for Runestone errors (takes `unknown`, per STYLE.md). */
export function isRunestoneError(value: unknown): value is RunestoneError {
  return value instanceof RunestoneError;
}

/** Flattens an error into the list of Runestone errors it carries (aggregates expand). */
export function listErrors(error: unknown): readonly RunestoneError[] {
  if (error instanceof RunestoneAggregateError) return error.errors;
  if (error instanceof RunestoneError) return [error];
  return [];
}

import { ProviderError, RunestoneError } from '../core/errors.ts';
import type { SourceLocation } from '../core/location.ts';
import type { Sleep } from './clock.ts';

/** How retryable provider errors are retried: exponential backoff, capped. */
export interface RetryPolicy {
  /** Attempts in all, including the first. At least 1. */
  readonly maxAttempts: number;
  /** Wait after the first failure; doubled after each further one. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** 4 attempts, waiting 0.5 s, 1 s, 2 s between them (capped at 30 s). */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

/** The wait after failed attempt number `attempt` (1-based): `base * 2^(attempt-1)`, capped. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/** True for a `ProviderError` the provider marked `retryable`. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable;
}

/** Options for {@link callWithRetry}. */
export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly sleep: Sleep;
  /** Aborts the wait between attempts. */
  readonly signal?: AbortSignal;
  /** Called before every attempt, with its 1-based number. */
  readonly onAttempt?: (attempt: number) => void;
}

/**
 * Calls `fn`, retrying while it throws a retryable `ProviderError` and attempts remain,
 * sleeping {@link backoffDelay} between attempts. Rethrows the last error.
 */
export async function callWithRetry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = Math.max(1, options.policy.maxAttempts);
  for (let attempt = 1; ; attempt++) {
    options.onAttempt?.(attempt);
    try {
      return await fn();
    } catch (error: unknown) {
      if (attempt >= maxAttempts || !isRetryable(error)) throw error;
      await options.sleep(backoffDelay(options.policy, attempt), options.signal);
    }
  }
}

/**
 * Runs `fn` with a signal that aborts after `ms`; rejects with `ProviderError`
 * `RS_ENGINE_E0003` (`what` names the operation) when the time runs out first. The timer
 * is cancelled as soon as `fn` settles.
 */
export async function callWithTimeout<T>(fn: (signal: AbortSignal) => Promise<T>, options: { readonly ms: number; readonly sleep: Sleep; readonly what: string; readonly location?: SourceLocation | undefined }): Promise<T> {
  const work = new AbortController();
  const timer = new AbortController();
  const timeout = options.sleep(options.ms, timer.signal).then(
    () => {
      const error = new ProviderError('RS_ENGINE_E0003', `Cannot finish ${options.what}: timed out after ${formatMs(options.ms)}`, {
        ...(options.location === undefined ? {} : { location: options.location }),
      });
      work.abort(error);
      throw error;
    },
    // The timer was cancelled because the work settled first; nothing to do.
    () => undefined as never,
  );
  try {
    return await Promise.race([fn(work.signal), timeout]);
  } finally {
    timer.abort();
  }
}

/**
 * Converts anything thrown into a `RunestoneError`: Runestone errors pass through; other
 * errors become `ProviderError` `RS_ENGINE_E0008` with `context` before the message and
 * the original as `cause`.
 */
export function toRunestoneError(error: unknown, context: string, location?: SourceLocation): RunestoneError {
  if (error instanceof RunestoneError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError('RS_ENGINE_E0008', `${context}: ${detail}`, { cause: error, ...(location === undefined ? {} : { location }) });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

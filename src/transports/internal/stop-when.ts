/** Why a running command was stopped. */
export type StopReason = 'timeout' | 'abort';

/**
 * Calls `stop` once, when `timeoutMs` passes or `signal` aborts, whichever comes first.
 * Returns the clean-up to call when the command ends on its own.
 */
export function stopWhen(options: { readonly timeoutMs?: number | undefined; readonly signal?: AbortSignal | undefined }, stop: (reason: StopReason) => void): () => void {
  let stopped = false;
  const once = (reason: StopReason): void => {
    if (stopped) return;
    stopped = true;
    stop(reason);
  };
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
    once('timeout');
  }, options.timeoutMs);
  const onAbort = (): void => {
    once('abort');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  };
}

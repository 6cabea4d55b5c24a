import type { Now, Sleep } from '../clock.ts';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/**
 * Virtual time for tests: `sleep` never waits for real. Whenever timers are pending and
 * the microtask queue has drained (checked with `setImmediate`), the clock jumps to the
 * earliest timer and fires it, so concurrent sleeps finish in deadline order and
 * `now()` reflects the virtual time spent. Aborting a sleep's signal cancels its timer.
 */
export class FakeClock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  #scheduled = false;
  /** Every delay passed to `sleep`, in call order (for backoff assertions). */
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  /** The virtual time in milliseconds. */
  readonly now: Now = () => this.#now;

  /** A virtual {@link Sleep}. */
  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      this.sleeps.push(ms);
      if (signal?.aborted === true) {
        reject(toError(signal.reason));
        return;
      }
      const seq = this.#seq++;
      const onAbort = (): void => {
        this.#timers = this.#timers.filter((t) => t.seq !== seq);
        reject(toError(signal?.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.push({
        at: this.#now + Math.max(0, ms),
        seq,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      });
      this.#schedule();
    });

  #schedule(): void {
    if (this.#scheduled || this.#timers.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers.shift();
      if (next !== undefined) {
        this.#now = Math.max(this.#now, next.at);
        next.fire();
      }
      this.#schedule();
    });
  }
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

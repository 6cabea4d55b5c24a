/**
 * A counting semaphore: at most `limit` holders at once, the rest wait in arrival order.
 * Bounds the requests in flight to one AWS service, whatever the engine's parallelism.
 */
export class ServiceLimit {
  readonly limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.limit = Math.max(1, limit);
  }

  /** Runs `fn` once a slot is free, and frees the slot when it settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#active++;
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter (the count stays), or free it.
      const next = this.#waiting.shift();
      if (next === undefined) this.#active--;
      else next();
    }
  }
}

/** Options for {@link limitConcurrency}. */
export interface ConcurrencyOptions {
  /** Most tasks running at once, over all keys. At least 1. */
  readonly concurrency: number;
  /** Most tasks running at once per key (e.g. per provider instance); keys not listed are bounded only overall. */
  readonly perKey?: Readonly<Record<string, number>>;
}

/** Runs a task when a slot is free; see {@link limitConcurrency}. */
export type Limiter = <T>(key: string, task: () => Promise<T>) => Promise<T>;

interface Waiting {
  /** Arrival order over all keys, so the oldest waiting task of any key can be found. */
  readonly seq: number;
  readonly start: () => void;
}

/** A first-in first-out queue with O(1) push and shift (no `Array#splice`). */
class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  push(item: T): void {
    this.#items.push(item);
  }

  shift(): T | undefined {
    const item = this.#items[this.#head];
    this.#head++;
    // Drop the consumed prefix now and then, so memory stays proportional to what waits.
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

/**
 * Creates a limiter: `limit(key, task)` runs `task` once fewer than `concurrency` tasks are
 * running overall and fewer than `perKey[key]` are running for its key, and settles with the
 * task's result.
 *
 * Waiting tasks start first-in first-out, except that a task whose key is full is passed
 * over (not blocking the queue) so a throttled provider cannot stall the others.
 *
 * @example
 * const limit = limitConcurrency({ concurrency: 10, perKey: { aws: 4 } });
 * await Promise.all(nodes.map((n) => limit(n.provider, () => read(n))));
 */
export function limitConcurrency(options: ConcurrencyOptions): Limiter {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const perKey = options.perKey ?? {};
  // One queue per key: a full key's tasks wait in their own line without being rescanned.
  const queues = new Map<string, Fifo<Waiting>>();
  const runningByKey = new Map<string, number>();
  let running = 0;
  let waiting = 0;
  let nextSeq = 0;

  const hasRoom = (key: string): boolean => {
    const max = perKey[key];
    return running < concurrency && (max === undefined || (runningByKey.get(key) ?? 0) < Math.max(1, max));
  };

  // Starts as many queued tasks as the limits allow, oldest first among keys with room, which
  // is first-in first-out passing over full keys. Called whenever a slot frees up. Each start
  // looks at one head per key, so a long queue costs nothing to skip.
  const drain = (): void => {
    while (running < concurrency && waiting > 0) {
      let next: Fifo<Waiting> | undefined;
      let oldest = Number.POSITIVE_INFINITY;
      for (const [key, queue] of queues) {
        const head = queue.peek();
        if (head === undefined || head.seq >= oldest || !hasRoom(key)) continue;
        next = queue;
        oldest = head.seq;
      }
      const task = next?.shift();
      if (task === undefined) return;
      waiting--;
      task.start();
    }
  };

  return <T>(key: string, task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        // Count the slot before the task runs, so a synchronous `drain` cannot over-admit.
        running++;
        runningByKey.set(key, (runningByKey.get(key) ?? 0) + 1);
        const release = (): void => {
          running--;
          runningByKey.set(key, (runningByKey.get(key) ?? 1) - 1);
          drain();
        };
        // `Promise.resolve().then` turns a synchronous throw in `task` into a rejection.
        Promise.resolve()
          .then(task)
          .then(
            (value) => {
              release();
              resolve(value);
            },
            (error: unknown) => {
              release();
              reject(error instanceof Error ? error : new Error(String(error)));
            },
          );
      };
      if (hasRoom(key) && waiting === 0) start();
      else {
        let queue = queues.get(key);
        if (queue === undefined) {
          queue = new Fifo<Waiting>();
          queues.set(key, queue);
        }
        queue.push({ seq: nextSeq++, start });
        waiting++;
        drain();
      }
    });
}

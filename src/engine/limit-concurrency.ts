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
  readonly key: string;
  readonly start: () => void;
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
  const queue: Waiting[] = [];
  const runningByKey = new Map<string, number>();
  let running = 0;

  const hasRoom = (key: string): boolean => {
    const max = perKey[key];
    return running < concurrency && (max === undefined || (runningByKey.get(key) ?? 0) < Math.max(1, max));
  };

  // Starts as many queued tasks as the limits allow. Called whenever a slot frees up.
  const drain = (): void => {
    for (let i = 0; i < queue.length && running < concurrency; ) {
      const waiting = queue[i];
      if (waiting !== undefined && hasRoom(waiting.key)) {
        queue.splice(i, 1);
        waiting.start();
      } else {
        i++;
      }
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
      if (hasRoom(key) && queue.length === 0) start();
      else {
        queue.push({ key, start });
        drain();
      }
    });
}

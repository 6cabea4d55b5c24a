import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms` milliseconds; rejects with the signal's reason when `signal` aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Milliseconds since the epoch. */
export type Now = () => number;

/** The real clock's `sleep`, on Node's timers. */
export const systemSleep: Sleep = (ms, signal) => delay(ms, undefined, signal === undefined ? undefined : { signal });

/** The real clock's `now`. */
export const systemNow: Now = () => Date.now();

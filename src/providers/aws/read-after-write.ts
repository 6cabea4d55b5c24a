import { setTimeout as delay } from 'node:timers/promises';
import type { LiveState, ProviderContext } from '../contract.ts';

/** Waits between reads of something just written and not visible yet: 0.25 s, 0.5 s, 1 s, 2 s. */
export const READ_AFTER_WRITE_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000];

/**
 * Reads a resource Runestone has just created or changed. AWS APIs are eventually
 * consistent: the first read after a create may say "not found" (S3 HeadBucket, IAM GetRole,
 * EC2 Describe*). A miss is read again after each of {@link READ_AFTER_WRITE_DELAYS_MS},
 * saying so through `ctx.output`; `undefined` only if it is still missing after the last.
 * Redoing the whole create instead would write again, and each write restarts the wait.
 */
export async function readAfterWrite(read: () => Promise<LiveState | undefined>, what: string, ctx: ProviderContext): Promise<LiveState | undefined> {
  for (let attempt = 0; ; attempt++) {
    const live = await read();
    const wait = READ_AFTER_WRITE_DELAYS_MS[attempt];
    if (live !== undefined || wait === undefined) return live;
    ctx.output(`${what} is not visible yet (AWS is eventually consistent): reading again in ${wait / 1000}s`, 'stderr');
    await delay(wait, undefined, { signal: ctx.signal });
  }
}

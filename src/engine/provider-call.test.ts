import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError } from '../core/errors.ts';
import { backoffDelay, callWithRetry, callWithTimeout, toRunestoneError } from './provider-call.ts';
import { FakeClock } from './testing/fake-clock.ts';

describe('backoffDelay()', () => {
  const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 500 };
  const cases: [number, number][] = [
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 500],
  ];
  for (const [attempt, expected] of cases) {
    it(`waits ${expected}ms after attempt ${attempt}`, () => {
      assert.equal(backoffDelay(policy, attempt), expected);
    });
  }
});

describe('callWithRetry()', () => {
  it('stops at the first error that is not retryable', async () => {
    const clock = new FakeClock();
    let calls = 0;
    await assert.rejects(
      callWithRetry(
        () => {
          calls++;
          return Promise.reject(new ProviderError('RS_ENGINE_E0008', 'Cannot create "x": denied'));
        },
        { policy: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 }, sleep: clock.sleep },
      ),
      /denied/,
    );
    assert.equal(calls, 1);
  });
});

describe('callWithTimeout()', () => {
  it('aborts the work signal and rejects with RS_ENGINE_E0003 when time runs out', async () => {
    const clock = new FakeClock();
    let aborted = false;
    const error = await callWithTimeout(
      async (signal) => {
        signal.addEventListener('abort', () => {
          aborted = true;
        });
        await clock.sleep(10_000);
      },
      { ms: 2000, sleep: clock.sleep, what: 'create of "x"' },
    ).catch((e: unknown) => e);
    assert.ok(error instanceof ProviderError);
    assert.equal(error.code, 'RS_ENGINE_E0003');
    assert.equal(error.message, 'Cannot finish create of "x": timed out after 2s');
    assert.equal(aborted, true);
  });

  it('cancels the timer when the work finishes first', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    assert.equal(await callWithTimeout(() => Promise.resolve(42), { ms: 60_000, sleep: clock.sleep, what: 'x' }), 42);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(clock.now(), start);
  });
});

describe('toRunestoneError()', () => {
  it('wraps foreign errors as RS_ENGINE_E0008 with the cause, and passes Runestone errors through', () => {
    const cause = new Error('ECONNRESET');
    const wrapped = toRunestoneError(cause, 'Cannot read "x"');
    assert.deepEqual([wrapped.code, wrapped.message, wrapped.cause], ['RS_ENGINE_E0008', 'Cannot read "x": ECONNRESET', cause]);
    const own = new ProviderError('RS_ENGINE_E0003', 'late');
    assert.equal(toRunestoneError(own, 'ignored'), own);
  });
});

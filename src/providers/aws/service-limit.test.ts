import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceLimit } from './service-limit.ts';

describe('ServiceLimit', () => {
  test('run() keeps at most `limit` calls in flight and starts waiters in arrival order', async () => {
    const limit = new ServiceLimit(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const calls = [0, 1, 2, 3, 4].map((i) =>
      limit.run(async () => {
        started.push(i);
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active--;
        return i;
      }),
    );
    // Release whichever calls hold a slot, one at a time, until all have run.
    for (let released = 0; released < 5; released++) {
      while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
      gates.shift()?.();
    }
    assert.deepEqual(await Promise.all(calls), [0, 1, 2, 3, 4]);
    assert.equal(peak, 2);
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
  });

  test('a failing call frees its slot', async () => {
    const limit = new ServiceLimit(1);
    await assert.rejects(limit.run(() => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await limit.run(() => Promise.resolve('next')), 'next');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { limitConcurrency } from './limit-concurrency.ts';

interface Gate {
  readonly promise: Promise<void>;
  readonly open: () => void;
}

function gate(): Gate {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('limitConcurrency()', () => {
  it('runs at most `concurrency` tasks at once, first in first out', async () => {
    const limit = limitConcurrency({ concurrency: 2 });
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const all = gates.map((g, i) =>
      limit('p', async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1]);
    gates[1]?.open();
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    gates[0]?.open();
    gates[2]?.open();
    assert.deepEqual(await Promise.all(all), [0, 1, 2]);
  });

  it('bounds a key by its own limit without blocking other keys', async () => {
    const limit = limitConcurrency({ concurrency: 3, perKey: { slow: 1 } });
    const slow = [gate(), gate()];
    const started: string[] = [];
    const tasks = [
      limit('slow', async () => {
        started.push('slow0');
        await slow[0]?.promise;
      }),
      limit('slow', async () => {
        started.push('slow1');
        await slow[1]?.promise;
      }),
      limit('fast', () => {
        started.push('fast');
        return Promise.resolve();
      }),
    ];
    await tick();
    assert.deepEqual(started, ['slow0', 'fast']);
    slow[0]?.open();
    await tick();
    assert.deepEqual(started, ['slow0', 'fast', 'slow1']);
    slow[1]?.open();
    await Promise.all(tasks);
  });

  it('starts waiting tasks oldest first across keys', async () => {
    const limit = limitConcurrency({ concurrency: 1, perKey: { a: 1 } });
    const started: string[] = [];
    const names = ['a0', 'b0', 'a1', 'c0', 'b1', 'a2'];
    await Promise.all(
      names.map((name) =>
        limit(name.charAt(0), () => {
          started.push(name);
          return Promise.resolve();
        }),
      ),
    );
    assert.deepEqual(started, names);
  });

  it('releases the slot when a task throws', async () => {
    const limit = limitConcurrency({ concurrency: 1 });
    await assert.rejects(
      limit('p', () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await limit('p', () => Promise.resolve(7)), 7);
  });
});

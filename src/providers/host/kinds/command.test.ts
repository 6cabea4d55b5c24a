import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AbortError, ProviderError } from '../../../core/index.ts';
import type { JsonObject } from '../../../core/index.ts';
import { createLocalTransport } from '../../../transports/index.ts';
import { createTestBed, desiredFor, diffOf, plannedOf, type HostTestBed } from '../internal/testing.ts';
import { createCommandKind } from './command.ts';

const kind = createCommandKind(createLocalTransport());
let bed: HostTestBed;

beforeEach(async () => {
  bed = await createTestBed();
});
afterEach(async () => {
  await bed.cleanUp();
});

describe('host:command guards', () => {
  const cases: readonly { readonly name: string; readonly props: JsonObject; readonly setup?: string; readonly done: boolean }[] = [
    { name: 'no guard is always pending', props: { run: 'true' }, done: false },
    { name: 'creates missing is pending', props: { run: 'true', creates: 'marker' }, done: false },
    { name: 'creates present is done', props: { run: 'true', creates: 'marker' }, setup: 'marker', done: true },
    { name: 'unless exiting 0 is done', props: { run: 'true', unless: 'test 1 = 1' }, done: true },
    { name: 'unless exiting 1 is pending', props: { run: 'true', unless: 'test 1 = 2' }, done: false },
    { name: 'unless sees env and cwd', props: { run: 'true', unless: 'test "$FLAG" = on && test -f here', env: { FLAG: 'on' } }, setup: 'here', done: true },
    { name: 'either guard satisfied is done', props: { run: 'true', creates: 'marker', unless: 'true' }, done: true },
  ];
  for (const { name, props, setup, done } of cases) {
    it(name, async () => {
      if (setup !== undefined) await writeFile(join(bed.dir, setup), '');
      const live = await kind.read(desiredFor(kind, 'c', props), bed.ctx);
      assert.equal(live !== undefined, done);
      if (live !== undefined) {
        assert.equal(live.attributes['exit_code'], null, 'a command that did not run has no exit code');
        assert.deepEqual(diffOf(kind, desiredFor(kind, 'c', props), live), []);
      }
    });
  }
});

describe('host:command runs', () => {
  it('runs a shell command, streams its lines and becomes done through creates', async () => {
    const desired = desiredFor(kind, 'init', { run: 'echo first; echo oops >&2; echo last; touch "$OUT"', creates: 'initialised', env: { OUT: 'initialised' } });
    assert.equal(await kind.read(desired, bed.ctx), undefined);
    assert.deepEqual(plannedOf(kind, desired), { creates: join(bed.dir, 'initialised') });
    const live = await kind.create(desired, bed.ctx);
    assert.deepEqual(live.attributes, { exit_code: 0, stdout: 'first\nlast', stderr: 'oops', creates: join(bed.dir, 'initialised') });
    // Order across the two pipes is up to the OS; within one stream it is kept.
    assert.deepEqual(bed.lines.filter((l) => l.stream === 'stdout').map((l) => l.line), ['first', 'last']);
    assert.deepEqual(bed.lines.filter((l) => l.stream === 'stderr').map((l) => l.line), ['oops']);
    assert.ok(await kind.read(desired, bed.ctx));
  });

  it('runs argv in cwd without a shell', async () => {
    await writeFile(join(bed.dir, 'name.txt'), 'runestone');
    const live = await kind.create(desiredFor(kind, 'cat', { argv: ['cat', 'name.txt'], cwd: bed.dir }), bed.ctx);
    assert.equal(live.attributes['stdout'], 'runestone');
  });

  it('fails with RS_HOST_E0008 and the last stderr line on a non-zero exit', async () => {
    await assert.rejects(kind.create(desiredFor(kind, 'bad', { run: 'echo broken >&2; exit 7' }), bed.ctx), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, 'RS_HOST_E0008');
      assert.match(error.message, /exited with code 7: broken/);
      assert.equal(error.retryable, false);
      return true;
    });
  });

  it('fails with RS_HOST_E0009 when the timeout passes', async () => {
    await assert.rejects(kind.create(desiredFor(kind, 'slow', { run: 'sleep 30', timeout: 0.05 }), bed.ctx), (error: unknown) => error instanceof ProviderError && error.code === 'RS_HOST_E0009');
  });

  it('stops when the run is aborted', async () => {
    const controller = new AbortController();
    const ctx = { ...bed.ctx, signal: controller.signal, output: () => { controller.abort(); } };
    await assert.rejects(kind.create(desiredFor(kind, 'long', { run: 'echo go; sleep 30' }), ctx), AbortError);
  });

  it('runs remove on delete, from the live state alone', async () => {
    const desired = desiredFor(kind, 'svc', { run: 'echo on > state', creates: 'state', remove: 'rm state && echo removed > log' });
    const live = await kind.create(desired, bed.ctx);
    const rereadLive = await kind.reread(live, bed.ctx);
    assert.ok(rereadLive);
    await kind.delete(rereadLive, bed.ctx);
    assert.equal(await readFile(join(bed.dir, 'log'), 'utf8'), 'removed\n');
    assert.equal(await kind.reread(live, bed.ctx), undefined, 'once creates is gone the command is pending again');
  });

  it('does nothing on delete without remove', async () => {
    const live = await kind.create(desiredFor(kind, 'x', { run: 'touch made', creates: 'made' }), bed.ctx);
    await kind.delete(live, bed.ctx);
    assert.ok(await kind.reread(live, bed.ctx));
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { RunestoneError } from '../core/index.ts';
import type { RunRecord } from '../engine/store-port.ts';
import type { Snapshot } from '../providers/contract.ts';
import { createHostProvider } from '../providers/host/index.ts';
import { openStore } from './open-store.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runestone-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function snapshot(address: string, provider = 'host', stack = 'shop/dev'): Snapshot {
  return {
    stack,
    address,
    kind: 'host:file',
    provider,
    live: { identity: `/srv/${address}`, properties: { path: `/srv/${address}`, mode: '0644', sha256: 'ab' }, attributes: { size: 3 } },
    seenAt: '2025-01-02T03:04:05.000Z',
  };
}

function run(runId: string, startedAt: string, stack = 'shop/dev'): RunRecord {
  return {
    runId,
    stack,
    verb: 'commit',
    user: 'alice',
    startedAt,
    finishedAt: startedAt,
    summary: { verb: 'commit', done: 2, failed: 0, skipped: 0, aborted: false, durationMs: 12, counts: { create: 2, update: 0, replace: 0, delete: 0, noop: 1, drift: 0 } },
  };
}

const isStoreError = (code: string) => (error: unknown): boolean => error instanceof RunestoneError && error.code === code;

describe('openStore() snapshots', () => {
  it('round-trips snapshots per stack and provider instance, sorted by address', async () => {
    const store = openStore(join(dir, '.runestone'));
    try {
      await store.snapshots.put(snapshot('host:file.b'));
      await store.snapshots.put(snapshot('host:file.a'));
      await store.snapshots.put(snapshot('host:file.c', 'host.remote'));
      await store.snapshots.put(snapshot('host:file.d', 'host', 'shop/prod'));
      assert.deepEqual(await store.snapshots.list('shop/dev', 'host'), [snapshot('host:file.a'), snapshot('host:file.b')]);
      assert.deepEqual(await store.snapshots.list('shop/dev', 'host.remote'), [snapshot('host:file.c', 'host.remote')]);
      assert.deepEqual(await store.snapshots.list('other/dev', 'host'), []);
    } finally {
      store.close();
    }
  });

  it('commits writes made together in one batch, and a failing write rejects alone', async () => {
    const store = openStore(dir);
    try {
      const addresses = Array.from({ length: 50 }, (_, i) => `host:file.f${String(i).padStart(2, '0')}`);
      const bad = { ...snapshot('host:file.bad'), kind: undefined as unknown as string };
      const results = await Promise.allSettled([...addresses.map((a) => store.snapshots.put(snapshot(a))), store.snapshots.put(bad), store.snapshots.remove('shop/dev', 'host:file.f00')]);
      assert.deepEqual(results.map((r) => r.status), [...addresses.map(() => 'fulfilled'), 'rejected', 'fulfilled']);
      assert.ok(results[50]?.status === 'rejected' && isStoreError('RS_STORE_E0003')(results[50].reason));
      assert.deepEqual((await store.snapshots.list('shop/dev', 'host')).map((s) => s.address), addresses.slice(1));
    } finally {
      store.close();
    }
  });

  it('writes queued but not awaited when the store closes', async () => {
    const store = openStore(dir);
    void store.snapshots.put(snapshot('host:file.late'));
    store.close();
    const again = openStore(dir);
    try {
      assert.deepEqual((await again.snapshots.list('shop/dev', 'host')).map((s) => s.address), ['host:file.late']);
    } finally {
      again.close();
    }
  });

  it('replaces a snapshot on put and forgets it on remove', async () => {
    const store = openStore(dir);
    try {
      await store.snapshots.put(snapshot('host:file.a'));
      const newer = { ...snapshot('host:file.a'), seenAt: '2025-02-01T00:00:00.000Z', live: { identity: '/x', properties: {}, attributes: {}, owner: { stack: 'shop/dev', address: 'host:file.a' } } };
      await store.snapshots.put(newer);
      assert.deepEqual(await store.snapshots.list('shop/dev', 'host'), [newer]);
      await store.snapshots.remove('shop/dev', 'host:file.a');
      await store.snapshots.remove('shop/dev', 'host:file.never');
      assert.deepEqual(await store.snapshots.list('shop/dev', 'host'), []);
    } finally {
      store.close();
    }
  });

  it('keeps data across reopen, uses WAL, and starts empty after the file is deleted', async () => {
    const first = openStore(dir);
    await first.snapshots.put(snapshot('host:file.a'));
    first.close();
    const second = openStore(dir);
    assert.deepEqual(await second.snapshots.list('shop/dev', 'host'), [snapshot('host:file.a')]);
    second.close();
    const raw = new DatabaseSync(join(dir, 'cache.db'));
    assert.equal(raw.prepare('PRAGMA journal_mode').get()?.['journal_mode'], 'wal');
    assert.equal(raw.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()?.['value'], '2');
    raw.close();

    await rm(join(dir, 'cache.db'));
    await rm(join(dir, 'cache.db-wal'), { force: true });
    await rm(join(dir, 'cache.db-shm'), { force: true });
    const fresh = openStore(dir);
    assert.deepEqual(await fresh.snapshots.list('shop/dev', 'host'), []);
    fresh.close();
  });

  it('keeps notes of unfinished creates per stack until they end, across reopen', async () => {
    const first = openStore(dir);
    await first.snapshots.beginCreate('shop/dev', 'aws:s3:bucket.a', '2025-01-02T03:04:05.000Z');
    await first.snapshots.beginCreate('shop/dev', 'aws:s3:bucket.b', '2025-01-02T03:04:05.000Z');
    await first.snapshots.beginCreate('shop/prod', 'aws:s3:bucket.a', '2025-01-02T03:04:05.000Z');
    first.close();
    const second = openStore(dir);
    try {
      await second.snapshots.endCreate('shop/dev', 'aws:s3:bucket.b');
      assert.deepEqual([...(await second.snapshots.unfinishedCreates('shop/dev'))], ['aws:s3:bucket.a']);
      assert.deepEqual([...(await second.snapshots.unfinishedCreates('shop/prod'))], ['aws:s3:bucket.a']);
    } finally {
      second.close();
    }
  });

  it('keeps the addresses a snapshot depended on, for ordering removals', async () => {
    const store = openStore(dir);
    try {
      await store.snapshots.put({ ...snapshot('host:file.b'), dependsOn: ['host:directory.a'] });
      const [listed] = await store.snapshots.list('shop/dev', 'host');
      assert.deepEqual(listed?.dependsOn, ['host:directory.a']);
    } finally {
      store.close();
    }
  });

  it('reports an entry of the wrong shape as RS_STORE_E0004', async () => {
    openStore(dir).close();
    const raw = new DatabaseSync(join(dir, 'cache.db'));
    raw.prepare("INSERT INTO snapshots (stack, address, kind, provider, live, seen_at) VALUES ('s', 'host:file.x', 'host:file', 'host', '[1]', 'now')").run();
    raw.close();
    const store = openStore(dir);
    try {
      await assert.rejects(store.snapshots.list('s', 'host'), isStoreError('RS_STORE_E0004'));
    } finally {
      store.close();
    }
  });
});

describe('openStore() run history', () => {
  it('lists a stack\'s runs newest first up to the limit', async () => {
    const store = openStore(dir);
    try {
      await store.history.record(run('r1', '2025-01-01T00:00:00.000Z'));
      await store.history.record(run('r3', '2025-01-03T00:00:00.000Z'));
      await store.history.record(run('r2', '2025-01-02T00:00:00.000Z'));
      await store.history.record(run('other', '2025-01-04T00:00:00.000Z', 'shop/prod'));
      assert.deepEqual((await store.history.list('shop/dev', 10)).map((r) => r.runId), ['r3', 'r2', 'r1']);
      assert.deepEqual((await store.history.list('shop/dev', 2)).map((r) => r.runId), ['r3', 'r2']);
      assert.deepEqual(await store.history.list('shop/dev', 1), [run('r3', '2025-01-03T00:00:00.000Z')]);
    } finally {
      store.close();
    }
  });

  it('updates a run recorded twice instead of duplicating it', async () => {
    const store = openStore(dir);
    try {
      await store.history.record(run('r1', '2025-01-01T00:00:00.000Z'));
      await store.history.record({ ...run('r1', '2025-01-01T00:00:00.000Z'), finishedAt: '2025-01-01T00:01:00.000Z' });
      const runs = await store.history.list('shop/dev', 10);
      assert.equal(runs.length, 1);
      assert.equal(runs[0]?.finishedAt, '2025-01-01T00:01:00.000Z');
    } finally {
      store.close();
    }
  });
});

describe('openStore() failures', () => {
  it('refuses a cache written by a newer Runestone with RS_STORE_E0002', () => {
    openStore(dir).close();
    const raw = new DatabaseSync(join(dir, 'cache.db'));
    raw.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    raw.close();
    assert.throws(() => openStore(dir), isStoreError('RS_STORE_E0002'));
  });

  it('reports a file that is not a database as RS_STORE_E0001 with a hint to delete it', async () => {
    await writeFile(join(dir, 'cache.db'), 'this is not sqlite, just some text that is long enough to look like a header '.repeat(10));
    assert.throws(() => openStore(dir), (error: unknown) => isStoreError('RS_STORE_E0001')(error) && /deleted safely/.test((error as RunestoneError).hint ?? ''));
  });

  it('reports use after close as RS_STORE_E0003', async () => {
    const store = openStore(dir);
    store.close();
    await assert.rejects(store.snapshots.list('s', 'host'), isStoreError('RS_STORE_E0003'));
  });
});

describe('openStore() with the host provider', () => {
  it('drives host discovery: a resource dropped from config but still on disk is found', async () => {
    const store = openStore(join(dir, '.runestone'));
    try {
      const provider = createHostProvider({});
      const file = provider.kinds.get('host:file');
      assert.ok(file);
      const ctx = { signal: new AbortController().signal, stack: 'shop/dev', baseDir: dir, output: () => undefined, dryRun: false };
      const desired = { address: 'host:file.motd', kind: 'host:file', name: 'motd', properties: { path: 'motd', content: 'hi', mode: '0644' } };
      const live = await file.create(desired, ctx);
      await store.snapshots.put({ stack: 'shop/dev', address: desired.address, kind: desired.kind, provider: 'host', live, seenAt: new Date(0).toISOString() });
      const owned = await provider.discover({ ...ctx, snapshots: store.snapshots, instance: 'host' });
      assert.deepEqual(owned, [{ address: 'host:file.motd', kind: 'host:file', live }]);
      await file.delete(live, ctx);
      assert.deepEqual(await provider.discover({ ...ctx, snapshots: store.snapshots, instance: 'host' }), []);
    } finally {
      store.close();
    }
  });
});

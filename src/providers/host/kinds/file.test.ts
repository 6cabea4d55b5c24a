import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ProviderError } from '../../../core/index.ts';
import { createLocalTransport } from '../../../transports/index.ts';
import { sha256Hex } from '../internal/digest.ts';
import { createTestBed, desiredFor, diffOf, plannedOf, type HostTestBed } from '../internal/testing.ts';
import { createFileKind } from './file.ts';

const kind = createFileKind(createLocalTransport());
const hash = (text: string): string => sha256Hex(new TextEncoder().encode(text));
let bed: HostTestBed;

beforeEach(async () => {
  bed = await createTestBed();
});
afterEach(async () => {
  await bed.cleanUp();
});

describe('host:file diff()', () => {
  const cases: readonly {
    readonly name: string;
    readonly observed: { readonly content: string; readonly mode: number };
    readonly desired: { readonly content: string; readonly mode?: string };
    readonly expected: readonly { readonly path: string; readonly description: string }[];
  }[] = [
    { name: 'no change', observed: { content: 'a\n', mode: 0o644 }, desired: { content: 'a\n' }, expected: [] },
    {
      name: 'content only',
      observed: { content: 'old\n', mode: 0o644 },
      desired: { content: 'new\n' },
      expected: [{ path: '/content', description: `content changed (sha256 ${hash('old\n').slice(0, 12)}… → ${hash('new\n').slice(0, 12)}…)` }],
    },
    { name: 'mode only', observed: { content: 'a', mode: 0o600 }, desired: { content: 'a', mode: '0640' }, expected: [{ path: '/mode', description: 'mode is 0600 (expected 0640)' }] },
    {
      name: 'content and mode',
      observed: { content: 'a', mode: 0o600 },
      desired: { content: 'b', mode: '644' },
      expected: [
        { path: '/content', description: `content changed (sha256 ${hash('a').slice(0, 12)}… → ${hash('b').slice(0, 12)}…)` },
        { path: '/mode', description: 'mode is 0600 (expected 0644)' },
      ],
    },
  ];
  for (const { name, observed, desired, expected } of cases) {
    it(`reports ${name}`, async () => {
      const path = join(bed.dir, 'f.txt');
      await writeFile(path, observed.content);
      await chmod(path, observed.mode);
      const resource = desiredFor(kind, 'f', { path, ...desired });
      const live = await kind.read(resource, bed.ctx);
      assert.ok(live);
      const diff = diffOf(kind, resource, live);
      assert.deepEqual(diff.map((d) => ({ path: d.path, description: d.description })), expected);
      assert.ok(diff.every((d) => !d.forcesReplace));
    });
  }
});

describe('host:file lifecycle', () => {
  it('creates with content and mode, reads it back and no-ops', async () => {
    const desired = desiredFor(kind, 'motd', { path: 'etc/motd', content: 'hello\n', mode: '0640' });
    assert.equal(await kind.read(desired, bed.ctx), undefined);
    const path = join(bed.dir, 'etc/motd');
    assert.deepEqual(plannedOf(kind, desired), { path, sha256: hash('hello\n'), size: 6, mode: '0640' });

    const created = await kind.create(desired, bed.ctx);
    assert.deepEqual(created.attributes, { path, sha256: hash('hello\n'), size: 6, mode: '0640' });
    assert.equal(await readFile(path, 'utf8'), 'hello\n');
    assert.equal((await stat(path)).mode & 0o7777, 0o640);
    assert.deepEqual(await readdir(join(bed.dir, 'etc')), ['motd'], 'no temp file is left behind');

    const live = await kind.read(desired, bed.ctx);
    assert.deepEqual(live, created);
    assert.deepEqual(diffOf(kind, desired, created), []);
    assert.ok(!JSON.stringify(live).includes('hello'), 'live state never holds the content');
  });

  it('rewrites on a content change and only chmods on a mode change', async () => {
    const path = join(bed.dir, 'conf');
    await kind.create(desiredFor(kind, 'c', { path, content: 'v1' }), bed.ctx);
    const inode = (await stat(path)).ino;

    const modeOnly = desiredFor(kind, 'c', { path, content: 'v1', mode: '0600' });
    const before = await kind.read(modeOnly, bed.ctx);
    assert.ok(before);
    const after = await kind.update(modeOnly, before, diffOf(kind, modeOnly, before), bed.ctx);
    assert.equal((await stat(path)).ino, inode, 'a mode-only change keeps the same file');
    assert.equal((await stat(path)).mode & 0o7777, 0o600);
    assert.equal(after.attributes['mode'], '0600');

    const newContent = desiredFor(kind, 'c', { path, content: 'v2', mode: '0600' });
    const current = await kind.read(newContent, bed.ctx);
    assert.ok(current);
    await kind.update(newContent, current, diffOf(kind, newContent, current), bed.ctx);
    assert.equal(await readFile(path, 'utf8'), 'v2');
    assert.notEqual((await stat(path)).ino, inode, 'content changes go through a renamed temp file');
    assert.deepEqual(await readdir(bed.dir), ['conf']);
  });

  it('reads by path alone while the content is known only after commit', async () => {
    const path = join(bed.dir, 'out.txt');
    // As the engine passes it: the unknown content left out, defaults applied.
    const pending = { address: 'host:file.out', kind: 'host:file', name: 'out', properties: { path, mode: '0644' } };
    assert.equal(await kind.read(pending, bed.ctx), undefined, 'absent: a create');
    await writeFile(path, 'old');
    await chmod(path, 0o600);
    const live = await kind.read(pending, bed.ctx);
    assert.ok(live);
    assert.deepEqual(
      diffOf(kind, pending, live).map((d) => d.path),
      ['/mode'],
      'the unknown content is the engine to report, not a content change',
    );
    assert.equal(await kind.read({ ...pending, properties: { mode: '0644' } }, bed.ctx), undefined, 'an unknown path cannot exist yet');
  });

  it('copies a source file relative to the config directory', async () => {
    await mkdir(join(bed.dir, 'files'));
    await writeFile(join(bed.dir, 'files', 'app.conf'), 'port=8080\n');
    const desired = desiredFor(kind, 'app', { path: 'out/app.conf', source: 'files/app.conf' });
    assert.deepEqual(plannedOf(kind, { ...desired, address: 'host:file.unread' }), { mode: '0644' }, 'before a read the hash of a source is unknown');
    assert.equal(await kind.read(desired, bed.ctx), undefined);
    assert.equal(plannedOf(kind, desired)['sha256'], hash('port=8080\n'), 'after a read it is known');
    await kind.create(desired, bed.ctx);
    assert.equal(await readFile(join(bed.dir, 'out/app.conf'), 'utf8'), 'port=8080\n');
  });

  it('fails with RS_HOST_E0006 when the source is missing', async () => {
    await assert.rejects(kind.read(desiredFor(kind, 'x', { path: 'x', source: 'nope.txt' }), bed.ctx), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, 'RS_HOST_E0006');
      assert.match(error.hint ?? '', /config directory/);
      return true;
    });
  });

  it('rejects both content and source with RS_HOST_E0011', async () => {
    const unchecked = { address: 'host:file.x', kind: 'host:file', name: 'x', properties: { path: 'x', content: 'a', source: 'b', mode: '0644' } };
    await assert.rejects(kind.read(unchecked, bed.ctx), (error: unknown) => error instanceof ProviderError && error.code === 'RS_HOST_E0011');
  });

  it('refuses to manage a directory as a file', async () => {
    await mkdir(join(bed.dir, 'dir'));
    await assert.rejects(kind.read(desiredFor(kind, 'd', { path: 'dir', content: '' }), bed.ctx), (error: unknown) => error instanceof ProviderError && error.code === 'RS_HOST_E0005');
  });

  it('deletes the file, and a second delete is a no-op', async () => {
    const live = await kind.create(desiredFor(kind, 'gone', { path: 'gone', content: 'x' }), bed.ctx);
    await kind.delete(live, bed.ctx);
    await kind.delete(live, bed.ctx);
    assert.equal(await kind.reread(live, bed.ctx), undefined);
  });

  it('refuses to delete "/"', async () => {
    await assert.rejects(kind.delete({ identity: '/', properties: {}, attributes: {} }, bed.ctx), (error: unknown) => error instanceof ProviderError && error.code === 'RS_HOST_E0004');
  });
});

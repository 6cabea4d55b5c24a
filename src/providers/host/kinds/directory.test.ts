import assert from 'node:assert/strict';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ProviderError } from '../../../core/index.ts';
import { createLocalTransport } from '../../../transports/index.ts';
import { createTestBed, desiredFor, diffOf, plannedOf, type HostTestBed } from '../internal/testing.ts';
import { createDirectoryKind } from './directory.ts';

const kind = createDirectoryKind(createLocalTransport());
let bed: HostTestBed;

beforeEach(async () => {
  bed = await createTestBed();
});
afterEach(async () => {
  await bed.cleanUp();
});

describe('host:directory diff()', () => {
  const cases: readonly { readonly name: string; readonly observedMode: number; readonly desiredMode?: string; readonly expected: readonly string[] }[] = [
    { name: 'reports nothing when the mode matches the default', observedMode: 0o755, expected: [] },
    { name: 'reports nothing for "750" against 0750', observedMode: 0o750, desiredMode: '750', expected: [] },
    { name: 'reports a mode change', observedMode: 0o700, desiredMode: '0750', expected: ['mode is 0700 (expected 0750)'] },
    { name: 'reports a sticky bit change', observedMode: 0o777, desiredMode: '1777', expected: ['mode is 0777 (expected 1777)'] },
  ];
  for (const { name, observedMode, desiredMode, expected } of cases) {
    it(name, async () => {
      const path = join(bed.dir, 'd');
      await mkdir(path);
      await chmod(path, observedMode);
      const desired = desiredFor(kind, 'd', desiredMode === undefined ? { path } : { path, mode: desiredMode });
      const live = await kind.read(desired, bed.ctx);
      assert.ok(live);
      assert.deepEqual(diffOf(kind, desired, live).map((d) => d.description), expected);
    });
  }
});

describe('host:directory lifecycle', () => {
  it('creates, reads, no-ops, changes mode and deletes', async () => {
    const desired = desiredFor(kind, 'data', { path: 'data/nested', mode: '0750' });
    assert.equal(await kind.read(desired, bed.ctx), undefined);
    assert.deepEqual(plannedOf(kind, desired), { path: join(bed.dir, 'data/nested'), mode: '0750' });

    const created = await kind.create(desired, bed.ctx);
    assert.deepEqual(created.attributes, { path: join(bed.dir, 'data/nested'), mode: '0750' });
    assert.equal((await stat(join(bed.dir, 'data/nested'))).mode & 0o7777, 0o750);

    const live = await kind.read(desired, bed.ctx);
    assert.ok(live);
    assert.deepEqual(diffOf(kind, desired, live), []);

    const wider = desiredFor(kind, 'data', { path: 'data/nested', mode: '0755' });
    const before = await kind.read(wider, bed.ctx);
    assert.ok(before);
    const diff = diffOf(kind, wider, before);
    assert.deepEqual(diff.map((d) => d.path), ['/mode']);
    await kind.update(wider, before, diff, bed.ctx);
    assert.equal((await stat(join(bed.dir, 'data/nested'))).mode & 0o7777, 0o755);

    await kind.delete(before, bed.ctx);
    assert.equal(await kind.read(wider, bed.ctx), undefined);
  });

  it('refuses to manage a file as a directory', async () => {
    await writeFile(join(bed.dir, 'f'), 'x');
    await assert.rejects(kind.read(desiredFor(kind, 'f', { path: 'f' }), bed.ctx), (error: unknown) => error instanceof ProviderError && error.code === 'RS_HOST_E0005');
  });

  it('refuses to delete a directory that is not empty', async () => {
    const desired = desiredFor(kind, 'full', { path: 'full' });
    const live = await kind.create(desired, bed.ctx);
    await writeFile(join(bed.dir, 'full', 'keep'), 'x');
    await assert.rejects(kind.delete(live, bed.ctx), (error: unknown) => error instanceof ProviderError && error.code === 'RS_HOST_E0013');
  });

  for (const path of ['', '/', '//', '/tmp/..']) {
    it(`refuses to delete ${JSON.stringify(path)}`, async () => {
      await assert.rejects(
        kind.delete({ identity: path, properties: { path, mode: '0755' }, attributes: {} }, bed.ctx),
        (error: unknown) => error instanceof ProviderError && error.code === 'RS_HOST_E0004',
      );
    });
  }

  it('rereads a snapshot and reports a directory that is gone as absent', async () => {
    const live = await kind.create(desiredFor(kind, 'x', { path: 'x' }), bed.ctx);
    assert.deepEqual(await kind.reread(live, bed.ctx), live);
    await kind.delete(live, bed.ctx);
    assert.equal(await kind.reread(live, bed.ctx), undefined);
  });
});

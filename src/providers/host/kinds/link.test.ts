import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ProviderError } from '../../../core/index.ts';
import { createLocalTransport } from '../../../transports/index.ts';
import { createTestBed, desiredFor, diffOf, type HostTestBed } from '../internal/testing.ts';
import { createLinkKind } from './link.ts';

const kind = createLinkKind(createLocalTransport());
let bed: HostTestBed;

beforeEach(async () => {
  bed = await createTestBed();
});
afterEach(async () => {
  await bed.cleanUp();
});

describe('host:link diff()', () => {
  const cases: readonly { readonly name: string; readonly observedTarget: string; readonly desiredTarget: string; readonly expected: readonly string[] }[] = [
    { name: 'nothing for the same target', observedTarget: 'a', desiredTarget: 'a', expected: [] },
    { name: 'a retarget', observedTarget: 'a', desiredTarget: 'b', expected: ['points at "a" (expected "b")'] },
    { name: 'relative and absolute targets as different', observedTarget: 'a', desiredTarget: '/a', expected: ['points at "a" (expected "/a")'] },
  ];
  for (const { name, observedTarget, desiredTarget, expected } of cases) {
    it(`reports ${name}`, async () => {
      await symlink(observedTarget, join(bed.dir, 'l'));
      const desired = desiredFor(kind, 'l', { path: 'l', target: desiredTarget });
      const live = await kind.read(desired, bed.ctx);
      assert.ok(live);
      assert.deepEqual(diffOf(kind, desired, live).map((d) => d.description), expected);
    });
  }
});

describe('host:link lifecycle', () => {
  it('creates, no-ops, retargets and deletes', async () => {
    const desired = desiredFor(kind, 'current', { path: 'current', target: 'releases/1' });
    assert.equal(await kind.read(desired, bed.ctx), undefined);
    const created = await kind.create(desired, bed.ctx);
    assert.deepEqual(created.attributes, { path: join(bed.dir, 'current'), target: 'releases/1' });
    assert.equal(await readlink(join(bed.dir, 'current')), 'releases/1');
    const live = await kind.read(desired, bed.ctx);
    assert.ok(live);
    assert.deepEqual(diffOf(kind, desired, live), []);

    const next = desiredFor(kind, 'current', { path: 'current', target: 'releases/2' });
    await kind.update(next, live, diffOf(kind, next, live), bed.ctx);
    assert.equal(await readlink(join(bed.dir, 'current')), 'releases/2');

    await kind.delete(live, bed.ctx);
    assert.equal(await kind.read(next, bed.ctx), undefined);
  });

  it('refuses a regular file at the path without force', async () => {
    await writeFile(join(bed.dir, 'taken'), 'data');
    await assert.rejects(kind.read(desiredFor(kind, 't', { path: 'taken', target: 'x' }), bed.ctx), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, 'RS_HOST_E0005');
      assert.match(error.hint ?? '', /force/);
      return true;
    });
  });

  it('replaces a regular file or an empty directory with force', async () => {
    await writeFile(join(bed.dir, 'taken'), 'data');
    await mkdir(join(bed.dir, 'emptydir'));
    for (const name of ['taken', 'emptydir']) {
      const desired = desiredFor(kind, name, { path: name, target: '/etc/hostname', force: true });
      const live = await kind.read(desired, bed.ctx);
      assert.ok(live);
      const diff = diffOf(kind, desired, live);
      assert.match(diff[0]?.description ?? '', /will be replaced by a link/);
      await kind.update(desired, live, diff, bed.ctx);
      assert.ok((await lstat(join(bed.dir, name))).isSymbolicLink());
    }
  });

  it('leaves a non-link in place on delete and rereads it as gone', async () => {
    const live = await kind.create(desiredFor(kind, 'l', { path: 'l', target: 'x' }), bed.ctx);
    await kind.delete(live, bed.ctx);
    await writeFile(join(bed.dir, 'l'), 'user data');
    assert.equal(await kind.reread(live, bed.ctx), undefined);
    await kind.delete(live, bed.ctx);
    assert.equal(await readFile(join(bed.dir, 'l'), 'utf8'), 'user data');
    assert.match(bed.lines.at(-1)?.line ?? '', /left .* in place/);
  });
});

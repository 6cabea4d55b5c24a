import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ProviderError } from '../../../core/index.ts';
import type { JsonObject } from '../../../core/index.ts';
import { createLocalTransport } from '../../../transports/index.ts';
import { createTestBed, desiredFor, diffOf, type HostTestBed } from '../internal/testing.ts';
import { createTemplateKind } from './template.ts';

const kind = createTemplateKind(createLocalTransport());
let bed: HostTestBed;

beforeEach(async () => {
  bed = await createTestBed();
});
afterEach(async () => {
  await bed.cleanUp();
});

describe('host:template rendering', () => {
  const cases: readonly { readonly name: string; readonly props: JsonObject; readonly expected: string }[] = [
    { name: 'substitutes vars', props: { template: 'port={{ port }}\n', vars: { port: 8080 } }, expected: 'port=8080\n' },
    { name: 'does not escape HTML', props: { template: '{{ v }}', vars: { v: '<a & b>' } }, expected: '<a & b>' },
    { name: 'loops over lists', props: { template: '{% for h in hosts %}{{ h }};{% endfor %}', vars: { hosts: ['a', 'b'] } }, expected: 'a;b;' },
    { name: 'writes CRLF when asked', props: { template: 'a\nb\n', newline: 'crlf' }, expected: 'a\r\nb\r\n' },
    { name: 'normalises CRLF to LF by default', props: { template: 'a\r\nb' }, expected: 'a\nb' },
  ];
  for (const { name, props, expected } of cases) {
    it(name, async () => {
      await kind.create(desiredFor(kind, 't', { path: 'out', ...props }), bed.ctx);
      assert.equal(await readFile(join(bed.dir, 'out'), 'utf8'), expected);
    });
  }

  it('renders a source template with an include next to it', async () => {
    await mkdir(join(bed.dir, 'templates'));
    await writeFile(join(bed.dir, 'templates', 'main.j2'), 'head\n{% include "part.j2" %}');
    await writeFile(join(bed.dir, 'templates', 'part.j2'), 'name={{ name }}\n');
    await kind.create(desiredFor(kind, 't', { path: 'rendered.conf', source: 'templates/main.j2', vars: { name: 'web' } }), bed.ctx);
    assert.equal(await readFile(join(bed.dir, 'rendered.conf'), 'utf8'), 'head\nname=web\n');
  });
});

describe('host:template errors', () => {
  it('reports an undefined variable at its template line and column', async () => {
    const desired = desiredFor(kind, 't', { path: 'out', template: 'ok\n  {{ missing }}\n' });
    await assert.rejects(kind.read(desired, bed.ctx), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, 'RS_HOST_E0007');
      assert.match(error.message, /inline template line 2:3/);
      return true;
    });
  });

  it('reports a syntax error in a source file with a location', async () => {
    await writeFile(join(bed.dir, 'bad.j2'), 'line one\n{% if %}\n');
    await assert.rejects(kind.read(desiredFor(kind, 't', { path: 'out', source: 'bad.j2' }), bed.ctx), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, 'RS_HOST_E0007');
      assert.ok(error.location);
      assert.equal(error.location.file, join(bed.dir, 'bad.j2'));
      assert.equal(error.location.line, 2);
      return true;
    });
  });

  it('reports a missing source as RS_HOST_E0006', async () => {
    await assert.rejects(kind.read(desiredFor(kind, 't', { path: 'out', source: 'none.j2' }), bed.ctx), (error: unknown) => error instanceof ProviderError && error.code === 'RS_HOST_E0006');
  });
});

describe('host:template change detection', () => {
  it('detects changed vars by rendered hash, no-ops otherwise, and changes mode alone', async () => {
    const first = desiredFor(kind, 't', { path: 'app.ini', template: 'x={{ x }}', vars: { x: 1 } });
    await kind.create(first, bed.ctx);
    const same = await kind.read(first, bed.ctx);
    assert.ok(same);
    assert.deepEqual(diffOf(kind, first, same), []);

    const changed = desiredFor(kind, 't', { path: 'app.ini', template: 'x={{ x }}', vars: { x: 2 } });
    const live = await kind.read(changed, bed.ctx);
    assert.ok(live);
    assert.deepEqual(diffOf(kind, changed, live).map((d) => d.path), ['/content']);
    await kind.update(changed, live, [], bed.ctx);
    assert.equal(await readFile(join(bed.dir, 'app.ini'), 'utf8'), 'x=2');

    await chmod(join(bed.dir, 'app.ini'), 0o600);
    const drifted = await kind.read(changed, bed.ctx);
    assert.ok(drifted);
    assert.deepEqual(diffOf(kind, changed, drifted).map((d) => d.description), ['mode is 0600 (expected 0644)']);
    await kind.update(changed, drifted, [], bed.ctx);
    assert.equal((await stat(join(bed.dir, 'app.ini'))).mode & 0o7777, 0o644);
    assert.deepEqual(await readdir(bed.dir), ['app.ini']);

    await kind.delete(drifted, bed.ctx);
    assert.equal(await kind.read(changed, bed.ctx), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderRegistry } from '../registry.ts';
import { BUILTIN_PROVIDER_TYPES } from '../builtin.ts';
import type { KindHandler, LiveState, Snapshot, SnapshotReader } from '../contract.ts';
import { createTestBed, desiredFor } from './internal/testing.ts';
import { createHostProvider, HOST_PROVIDER_TYPE } from './provider.ts';

describe('host provider type', () => {
  it('is built in and serves its kinds through the registry', () => {
    const registry = new ProviderRegistry(BUILTIN_PROVIDER_TYPES);
    assert.deepEqual(
      registry.allKinds().map((k) => k.kind).filter((kind) => kind.startsWith('host:')),
      ['host:assert', 'host:command', 'host:copy', 'host:directory', 'host:download', 'host:file', 'host:link', 'host:template', 'host:unarchive'],
    );
  });

  for (const handler of HOST_PROVIDER_TYPE.kinds) {
    it(`${handler.kind} has a strict, documented schema`, () => {
      const schema = handler.schema as Record<string, unknown>;
      assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
      assert.equal(schema['additionalProperties'], false);
      const properties = schema['properties'] as Record<string, Record<string, unknown>>;
      for (const [name, property] of Object.entries(properties)) {
        assert.equal(typeof property['description'], 'string', `${handler.kind} property "${name}" has a description`);
      }
      assert.ok(handler.attributes.length > 0);
    });
  }

  const rejected: readonly { readonly kind: string; readonly properties: unknown; readonly keyword: string }[] = [
    { kind: 'host:file', properties: { path: '/x', content: 'a', colour: 'red' }, keyword: 'additionalProperties' },
    { kind: 'host:file', properties: { path: '/x' }, keyword: 'oneOf' },
    { kind: 'host:file', properties: { path: '/x', content: 'a', source: 'b' }, keyword: 'oneOf' },
    { kind: 'host:file', properties: { path: '/x', content: 'a', mode: 'rwx' }, keyword: 'pattern' },
    { kind: 'host:directory', properties: { path: '' }, keyword: 'minLength' },
    { kind: 'host:link', properties: { path: '/x' }, keyword: 'required' },
    { kind: 'host:template', properties: { path: '/x', template: 'a', newline: 'cr' }, keyword: 'enum' },
    { kind: 'host:command', properties: { run: 'true', argv: ['true'] }, keyword: 'oneOf' },
    { kind: 'host:command', properties: { run: 'true', timeout: 0 }, keyword: 'exclusiveMinimum' },
  ];
  for (const { kind, properties, keyword } of rejected) {
    it(`${kind} schema rejects ${JSON.stringify(properties)} with ${keyword}`, () => {
      const registry = new ProviderRegistry([HOST_PROVIDER_TYPE]);
      assert.ok(registry.checkProperties(kind, properties).some((issue) => issue.keyword === keyword));
    });
  }

  it('applies defaults', () => {
    const registry = new ProviderRegistry([HOST_PROVIDER_TYPE]);
    const properties = { path: '/x', template: 'a' };
    assert.deepEqual(registry.checkProperties('host:template', properties), []);
    assert.deepEqual(properties, { path: '/x', template: 'a', vars: {}, mode: '0644', newline: 'lf' });
  });
});

describe('host provider check()', () => {
  it('reports platform and user in one line', async () => {
    const bed = await createTestBed();
    try {
      const check = await createHostProvider({}).check(bed.ctx);
      assert.equal(check.ok, true);
      assert.match(check.summary, new RegExp(`^host provider ready \\(${process.platform}, user .+, via local\\)$`));
    } finally {
      await bed.cleanUp();
    }
  });
});

describe('host provider discover()', () => {
  it('re-reads this instance\'s snapshots and reports only what still exists', async () => {
    const bed = await createTestBed();
    try {
      const provider = createHostProvider({});
      const kind = (name: string): KindHandler => {
        const handler = provider.kinds.get(name);
        assert.ok(handler);
        return handler;
      };
      const file = kind('host:file');
      const kept = await file.create(desiredFor(file, 'kept', { path: 'kept.txt', content: 'a' }), bed.ctx);
      const gone = await file.create(desiredFor(file, 'gone', { path: 'gone.txt', content: 'b' }), bed.ctx);
      const dir = kind('host:directory');
      const data = await dir.create(desiredFor(dir, 'data', { path: 'data' }), bed.ctx);
      const command = kind('host:command');
      const setup = await command.create(desiredFor(command, 'setup', { run: 'touch done', creates: 'done' }), bed.ctx);
      await file.delete(gone, bed.ctx);

      const snap = (address: string, kindName: string, live: LiveState, provider = 'host'): Snapshot => ({ stack: 'demo/test', address, kind: kindName, provider, live, seenAt: 'then' });
      const snapshots: readonly Snapshot[] = [
        snap('host:file.kept', 'host:file', kept),
        snap('host:file.gone', 'host:file', gone),
        snap('host:directory.data', 'host:directory', data),
        snap('host:command.setup', 'host:command', setup),
        snap('host:file.elsewhere', 'host:file', kept, 'host.remote'),
      ];
      // A plain SnapshotReader over an array: the store's own tests cover SQLite.
      const reader: SnapshotReader = { list: (stack, instance) => Promise.resolve(snapshots.filter((s) => s.stack === stack && s.provider === instance)) };
      const owned = await provider.discover({ ...bed.ctx, snapshots: reader, instance: 'host' });
      assert.deepEqual(owned.map((o) => o.address), ['host:file.kept', 'host:directory.data', 'host:command.setup']);
      assert.deepEqual(owned[0]?.live, kept);
    } finally {
      await bed.cleanUp();
    }
  });
});

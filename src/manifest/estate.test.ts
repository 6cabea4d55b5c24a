import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildEstate } from './estate.ts';
import { parseManifest, type Manifest } from './parse-manifest.ts';

function manifest(project: string, dependsOn: readonly string[] = [], extra = ''): Manifest {
  const text = `apiVersion: infra/v1\nproject: ${project}\nprovider: local\ndepends_on: [${dependsOn.join(', ')}]\n${extra}`;
  const parsed = parseManifest(`${project}/.infra.yaml`, text);
  if (parsed.manifest === undefined) throw new Error(parsed.findings.map((f) => f.message).join('; '));
  return parsed.manifest;
}

describe('buildEstate() dependency graph', () => {
  const CASES: readonly { name: string; manifests: readonly Manifest[]; cycles: readonly (readonly string[])[]; dangling: readonly string[] }[] = [
    { name: 'no edges', manifests: [manifest('a'), manifest('b')], cycles: [], dangling: [] },
    { name: 'a chain', manifests: [manifest('a', ['b']), manifest('b', ['c']), manifest('c')], cycles: [], dangling: [] },
    { name: 'a self-loop', manifests: [manifest('a', ['a'])], cycles: [['a', 'a']], dangling: [] },
    { name: 'two separate cycles', manifests: [manifest('a', ['b']), manifest('b', ['a']), manifest('x', ['y']), manifest('y', ['z']), manifest('z', ['x'])], cycles: [['a', 'b', 'a'], ['x', 'y', 'z', 'x']], dangling: [] },
    { name: 'the shortest walk through a component', manifests: [manifest('a', ['b', 'c']), manifest('b', ['c']), manifest('c', ['a'])], cycles: [['a', 'c', 'a']], dangling: [] },
    { name: 'a dangling dependency', manifests: [manifest('a', ['ghost'])], cycles: [], dangling: ['a->ghost'] },
  ];
  for (const c of CASES) {
    test(`finds cycles and dangling edges: ${c.name}`, () => {
      const estate = buildEstate(c.manifests);
      assert.deepEqual(estate.dependencies.cycles, c.cycles);
      assert.deepEqual(estate.dependencies.dangling.map((e) => `${e.from}->${e.to}`), c.dangling);
    });
  }

  test('walks a 20,000-project chain closed into one cycle without overflowing the stack', () => {
    const n = 20_000;
    const manifests = Array.from({ length: n }, (_, i) => manifest(`p${String(i)}`, [`p${String((i + 1) % n)}`]));
    const estate = buildEstate(manifests);
    assert.equal(estate.dependencies.cycles.length, 1);
    assert.equal(estate.dependencies.cycles[0]?.length, n + 1);
  });

  test('merges a project\'s prod and dev manifests into one node, and lists both services', () => {
    const prod = manifest('a', ['b'], 'service: { host: lime }\n');
    const dev = parseManifest('a/.infra.dev.yaml', 'apiVersion: infra/v1\nproject: a\nenvironment: dev\nprovider: mac\nservice: { host: fennel }\ndepends_on: [b]\n').manifest;
    assert.ok(dev !== undefined);
    const estate = buildEstate([prod, dev, manifest('b')]);
    assert.deepEqual(estate.dependencies.edges, [{ from: 'a', to: 'b' }]);
    assert.deepEqual(Object.keys(estate.services), ['fennel', 'lime']);
  });
});

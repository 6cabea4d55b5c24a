import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listErrors } from '../core/errors.ts';
import { memoryFiles } from '../plan/testing/memory-files.ts';
import { loadStack } from './load-stack.ts';

function load(files: Record<string, string>, paths: string[] = []): ReturnType<typeof loadStack> {
  return loadStack({ files: memoryFiles(files), paths, cwd: '/stack' });
}

function errorsOf(files: Record<string, string>, paths: string[] = []): { code: string; at: string; message: string; hint: string | undefined }[] {
  try {
    load(files, paths);
  } catch (error) {
    return listErrors(error).map((e) => ({
      code: e.code,
      at: e.location === undefined ? '' : `${e.location.file}:${e.location.line}:${e.location.column}`,
      message: e.message,
      hint: e.hint,
    }));
  }
  assert.fail('expected errors');
}

describe('loadStack()', () => {
  test('loads a stack with variables, providers, modules, resources and outputs', () => {
    const config = load({
      'runestone.yaml': 'project: p\nenvironment: dev\nvariables:\n  a: 1\n  pw: {default: x, secret: true}\nproviders:\n  host: {}\nresources:\n  - kind: host:file\n    name: f\noutputs:\n  o: 1\n',
    });
    assert.equal(config.project, 'p');
    assert.equal(config.environment, 'dev');
    assert.equal(config.variables.get('pw')?.secret, true);
    assert.equal(config.variables.get('a')?.value, 1);
    assert.equal(config.providers[0]?.type, 'host');
    assert.equal(config.resources.length, 1);
  });

  test('merges every *.yaml of a directory given with -f', () => {
    const config = load({ 'conf/a.yaml': 'project: p\nresources:\n  - {kind: host:file, name: a}\n', 'conf/b.yaml': 'resources:\n  - {kind: host:file, name: b}\n' }, ['conf']);
    assert.deepEqual(
      config.resources.map((r) => r.value['name']),
      ['a', 'b'],
    );
  });

  const invalid: [string, Record<string, string>, { code: string; at: string; hint?: RegExp }][] = [
    ['an unknown top-level key, with a did-you-mean', { 'runestone.yaml': 'project: p\nresorces: []\n' }, { code: 'RS_CONFIG_E0003', at: 'runestone.yaml:2:1', hint: /Did you mean "resources"/ }],
    ['an unknown resource key', { 'runestone.yaml': 'project: p\nresources:\n  - kind: host:file\n    name: a\n    propertes: {}\n' }, { code: 'RS_CONFIG_E0003', at: 'runestone.yaml:5:5', hint: /properties/ }],
    ['a wrong type', { 'runestone.yaml': 'project: p\nresources:\n  - kind: host:file\n    name: a\n    adopt: "yes"\n' }, { code: 'RS_CONFIG_E0004', at: 'runestone.yaml:5:12' }],
    ['a missing name', { 'runestone.yaml': 'project: p\nresources:\n  - kind: host:file\n' }, { code: 'RS_CONFIG_E0005', at: 'runestone.yaml:3:5' }],
    ['a YAML syntax error', { 'runestone.yaml': 'project: p\nresources: [\n' }, { code: 'RS_CONFIG_E0001', at: 'runestone.yaml:3:1' }],
    ['a duplicate YAML key', { 'runestone.yaml': 'project: p\nproject: q\n' }, { code: 'RS_CONFIG_E0001', at: 'runestone.yaml:2:1' }],
    ['a missing file', {}, { code: 'RS_CONFIG_E0002', at: '' }],
    ['a variable defined in two files', { 'c/a.yaml': 'project: p\nvariables: {x: 1}\n', 'c/b.yaml': 'variables: {x: 2}\n' }, { code: 'RS_CONFIG_E0010', at: 'c/b.yaml:1:13' }],
    ['conflicting projects', { 'c/a.yaml': 'project: p\n', 'c/b.yaml': 'project: q\n' }, { code: 'RS_CONFIG_E0007', at: 'c/b.yaml:1:10' }],
  ];
  for (const [name, files, expected] of invalid) {
    test(`rejects ${name} with ${expected.code} at its position`, () => {
      const paths = Object.keys(files).some((f) => f.startsWith('c/')) ? ['c'] : [];
      const [first] = errorsOf(files, paths);
      assert.equal(first?.code, expected.code);
      assert.equal(first.at, expected.at);
      if (expected.hint !== undefined) assert.match(first.hint ?? '', expected.hint);
    });
  }
});

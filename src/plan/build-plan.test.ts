import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listErrors } from '../core/errors.ts';
import { formatLocation } from '../core/location.ts';
import { loadStack } from '../config/index.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import { buildPlan, isDeferred } from './build-plan.ts';
import { markPartialAttributes } from './partial-attributes.ts';
import type { VariableOverrides } from './variables.ts';
import { memoryFiles } from './testing/memory-files.ts';
import { TEST_PROVIDER } from './testing/test-provider.ts';

const registry = new ProviderRegistry([TEST_PROVIDER]);

function plan(yaml: string, extra: Record<string, string> = {}, overrides: VariableOverrides = {}): ReturnType<typeof buildPlan> {
  const files = memoryFiles({ 'runestone.yaml': yaml, ...extra });
  return buildPlan(loadStack({ files, paths: [], cwd: '/stack' }), { registry, files, cwd: '/stack', overrides });
}

function planErrors(yaml: string, extra: Record<string, string> = {}): { code: string; at: string; message: string }[] {
  try {
    plan(yaml, extra);
  } catch (error) {
    const errors = listErrors(error);
    if (errors.length === 0) throw error;
    return errors.map((e) => ({ code: e.code, at: e.location === undefined ? '' : formatLocation(e.location), message: e.message }));
  }
  assert.fail('expected plan errors');
}

const HEAD = 'project: p\nenvironment: prod\n';

describe('buildPlan()', () => {
  test('count gives kind.name[i] ids and index in scope', () => {
    const { plan: p } = plan(`${HEAD}resources:\n  - kind: test:thing\n    name: web\n    count: 2\n    properties: {n: "\${index * 10}"}\n`);
    assert.deepEqual(
      p.nodes.map((n) => [n.id, n.properties['n']]),
      [
        ['test:thing.web[0]', 0],
        ['test:thing.web[1]', 10],
      ],
    );
  });

  test('a templated name gives each instance its own address', () => {
    const { plan: p } = plan(`${HEAD}resources:\n  - kind: test:thing\n    name: web-\${index}\n    count: 2\n`);
    assert.deepEqual(
      p.nodes.map((n) => n.id),
      ['test:thing.web-0', 'test:thing.web-1'],
    );
  });

  test('for_each over a map gives ["key"] ids with key, item, first and last', () => {
    const { plan: p } = plan(
      `${HEAD}variables:\n  sizes: {b: 2, a: 1}\nresources:\n  - kind: test:thing\n    name: disk\n    for_each: \${sizes}\n    properties: {value: "\${key}=\${item} \${first} \${last}"}\n`,
    );
    assert.deepEqual(
      p.nodes.map((n) => [n.id, n.properties['value']]),
      [
        ['test:thing.disk["a"]', 'a=1 true false'],
        ['test:thing.disk["b"]', 'b=2 false true'],
      ],
    );
  });

  test('the seed ternaries evaluate with their types', () => {
    const { plan: p } = plan(`${HEAD}resources:\n  - kind: test:thing\n    name: db\n    properties:\n      n: "\${environment == 'prod' ? 100 : 20}"\n      flag: "\${environment == 'prod'}"\n`);
    assert.deepEqual(p.nodes[0]?.properties, { n: 100, flag: true });
  });

  test('when: false drops the resource', () => {
    const { plan: p } = plan(`${HEAD}resources:\n  - kind: test:thing\n    name: a\n    when: "\${environment == 'dev'}"\n  - kind: test:thing\n    name: b\n`);
    assert.deepEqual(
      p.nodes.map((n) => n.id),
      ['test:thing.b'],
    );
  });

  test('a reference becomes a deferred value and a reference edge', () => {
    const { plan: p } = plan(`${HEAD}resources:\n  - kind: test:thing\n    name: a\n  - kind: test:thing\n    name: b\n    properties: {value: "x-\${res.a.id}"}\n`);
    const b = p.nodes.find((n) => n.id === 'test:thing.b');
    const value = b?.properties['value'];
    assert.ok(isDeferred(value));
    assert.deepEqual(b?.edges.map((e) => [e.to, e.reason]), [['test:thing.a', 'reference']]);
    assert.equal(value.evaluate(() => undefined), undefined);
    assert.equal(value.evaluate((id) => ({ id: `ID-${id}` })), 'x-ID-test:thing.a');
  });

  test('a deferred value over partly known attributes is unknown, not an error', () => {
    const { plan: p } = plan(`${HEAD}resources:\n  - kind: test:thing\n    name: a\n  - kind: test:thing\n    name: b\n    properties: {value: "x-\${res.a.value}"}\n`);
    const value = p.nodes.find((n) => n.id === 'test:thing.b')?.properties['value'];
    assert.ok(isDeferred(value));
    assert.equal(value.evaluate(() => markPartialAttributes({ id: 'i' })), undefined);
    assert.throws(() => value.evaluate(() => ({ id: 'i' })), /value/);
  });

  test('a deferred value satisfies oneOf and required, and its key is still checked', () => {
    const { plan: p } = plan(`${HEAD}resources:\n  - kind: test:thing\n    name: a\n  - kind: test:either\n    name: b\n    properties: {content: "\${res.a.value}"}\n`);
    assert.ok(isDeferred(p.nodes.find((n) => n.id === 'test:either.b')?.properties['content']));
    assert.deepEqual(
      planErrors(`${HEAD}resources:\n  - kind: test:thing\n    name: a\n  - kind: test:either\n    name: b\n    properties: {content: x, contnet: "\${res.a.value}"}\n`).map((e) => [e.code, e.at]),
      [['RS_CONFIG_E0003', 'runestone.yaml:8:30']],
    );
  });

  test('depends_on resolves kind.name groups, exact ids and modules', () => {
    const { plan: p } = plan(
      `${HEAD}modules:\n  m: {source: ./m}\nresources:\n  - {kind: test:thing, name: web, count: 2}\n  - {kind: module:m, name: one}\n  - kind: test:thing\n    name: z\n    depends_on: [test:thing.web, "test:thing.web[1]", module:m]\n`,
      { 'm/module.yaml': 'resources:\n  - {kind: test:thing, name: inner}\n' },
    );
    const z = p.nodes.find((n) => n.id === 'test:thing.z');
    assert.deepEqual(z?.edges.map((e) => e.to).sort(), ['module:m.one/test:thing.inner', 'test:thing.web[0]', 'test:thing.web[1]']);
  });

  test('module inputs are validated and outputs are reachable through res', () => {
    const { plan: p } = plan(
      `${HEAD}modules:\n  site: {source: ./site, inputs: {title: base}}\nresources:\n  - kind: module:site\n    name: web\n    inputs: {port: 8080}\n  - kind: test:thing\n    name: user\n    properties: {value: "\${res.web.url}"}\n`,
      {
        'site/module.yaml':
          'inputs:\n  title: {type: string}\n  port: {type: integer}\n  tls: {type: boolean, default: false}\noutputs:\n  url: {value: "http://${res.page.id}:${inputs.port}"}\nresources:\n  - kind: test:thing\n    name: page\n    properties: {value: "${inputs.title}", flag: "${inputs.tls}"}\n',
      },
    );
    const page = p.nodes.find((n) => n.id === 'module:site.web/test:thing.page');
    assert.deepEqual(page?.properties, { value: 'base', flag: false });
    const user = p.nodes.find((n) => n.id === 'test:thing.user')?.properties['value'];
    assert.ok(isDeferred(user));
    assert.equal(user.evaluate(() => ({ id: 'h' })), 'http://h:8080');
  });

  test('ids do not change when unrelated resources are added or reordered', () => {
    const a = plan(`${HEAD}resources:\n  - {kind: test:thing, name: a, count: 2}\n  - {kind: test:thing, name: b}\n`).plan.nodes.map((n) => n.id);
    const b = plan(`${HEAD}resources:\n  - {kind: test:thing, name: c}\n  - {kind: test:thing, name: b}\n  - {kind: test:thing, name: a, count: 2}\n`).plan.nodes.map((n) => n.id);
    assert.deepEqual(
      a,
      b.filter((id) => id !== 'test:thing.c'),
    );
  });

  test('variables follow --var > --var-file > RUNESTONE_VAR_ > file', () => {
    const yaml = `${HEAD}variables:\n  a: file\n  b: file\n  c: file\n  d: file\nresources:\n  - {kind: test:thing, name: x, properties: {value: "\${a},\${b},\${c},\${d}"}}\n`;
    const { plan: p } = plan(yaml, {}, {
      cli: { a: 'cli' },
      files: { a: 'varfile', b: 'varfile' },
      env: { RUNESTONE_VAR_a: 'env', RUNESTONE_VAR_b: 'env', RUNESTONE_VAR_c: 'env' },
    });
    assert.equal(p.nodes[0]?.properties['value'], 'cli,varfile,env,file');
  });

  test('secret variable values are listed for redaction', () => {
    const { plan: p } = plan(`${HEAD}variables:\n  pw: {default: hunter2, secret: true}\nresources: []\n`);
    assert.deepEqual(p.secrets, ['hunter2']);
  });

  test('the seed for_each reads the loop item by its singular, with a shadowing warning', () => {
    const { plan: p, warnings } = plan(
      `${HEAD}variables:\n  region: us-east-1\n  regions: [us-east-1, us-west-2]\nresources:\n  - kind: test:thing\n    name: "logs-\${region}"\n    for_each: "\${regions}"\n`,
    );
    assert.deepEqual(
      p.nodes.map((n) => n.id),
      ['test:thing.logs-us-east-1', 'test:thing.logs-us-west-2'],
    );
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['RS_EXPR_W0001'],
    );
  });

  const invalid: [string, string, Record<string, string>, string, string][] = [
    ['a cycle, spelled out', 'resources:\n  - {kind: test:thing, name: a, depends_on: [test:thing.b]}\n  - {kind: test:thing, name: b, depends_on: [test:thing.a]}\n', {}, 'RS_PLAN_E0001', 'runestone.yaml:4:46'],
    ['an unknown depends_on address', 'resources:\n  - {kind: test:thing, name: a, depends_on: [test:thing.zz]}\n', {}, 'RS_PLAN_E0002', 'runestone.yaml:4:46'],
    ['an unknown reference', 'resources:\n  - kind: test:thing\n    name: a\n    properties: {value: "${res.nope.id}"}\n', {}, 'RS_EXPR_E0007', 'runestone.yaml:6:28'],
    ['an explicit as: shadowing a global', 'variables: {region: x}\nresources:\n  - {kind: test:thing, name: "a-${index}", for_each: [1], as: region}\n', {}, 'RS_EXPR_E0006', 'runestone.yaml:5:63'],
    ['a variable named like a CEL type', 'variables: {list: [a]}\nresources:\n  - {kind: test:thing, name: a, for_each: "${list}"}\n', {}, 'RS_EXPR_E0010', 'runestone.yaml:3:13'],
    ['a loop item named like a CEL type', 'resources:\n  - {kind: test:thing, name: "a-${index}", for_each: [1], as: map}\n', {}, 'RS_EXPR_E0010', 'runestone.yaml:4:63'],
    ['a duplicate address', 'resources:\n  - {kind: test:thing, name: a}\n  - {kind: test:thing, name: a}\n', {}, 'RS_PLAN_E0003', 'runestone.yaml:5:30'],
    ['an unknown kind, with a did-you-mean', 'resources:\n  - {kind: test:thin, name: a}\n', {}, 'RS_CONFIG_E0006', 'runestone.yaml:4:12'],
    ['a property of the wrong type', 'resources:\n  - kind: test:thing\n    name: a\n    properties: {n: "x"}\n', {}, 'RS_CONFIG_E0004', 'runestone.yaml:6:21'],
    ['an unknown property', 'resources:\n  - kind: test:thing\n    name: a\n    properties: {valeu: "x"}\n', {}, 'RS_CONFIG_E0003', 'runestone.yaml:6:18'],
    ['a reference in count', 'resources:\n  - {kind: test:thing, name: a}\n  - {kind: test:thing, name: b, count: "${res.a.n}"}\n', {}, 'RS_EXPR_E0008', 'runestone.yaml:5:43'],
    ['an invalid module input', 'modules:\n  m: {source: ./m}\nresources:\n  - {kind: module:m, name: x, inputs: {port: "80"}}\n', { 'm/module.yaml': 'inputs:\n  port: {type: integer}\n' }, 'RS_CONFIG_E0004', 'runestone.yaml:6:46'],
    ['an error inside a module, with its chain', 'modules:\n  m: {source: ./m}\nresources:\n  - {kind: module:m, name: x}\n', { 'm/module.yaml': 'resources:\n  - {kind: test:thing, name: a, properties: {n: "no"}}\n' }, 'RS_CONFIG_E0004', 'runestone.yaml:6:12 -> m/module.yaml:2:49'],
  ];
  for (const [name, body, extra, code, at] of invalid) {
    test(`rejects ${name} with ${code}`, () => {
      const [first] = planErrors(`${HEAD}${body}`, extra);
      assert.equal(first?.code, code, first?.message);
      assert.equal(first.at, at);
    });
  }

  test('a cycle message names every edge', () => {
    const [error] = planErrors(`${HEAD}resources:\n  - {kind: test:thing, name: a, properties: {value: "\${res.b.id}"}}\n  - {kind: test:thing, name: b, depends_on: [test:thing.a]}\n`);
    assert.match(error?.message ?? '', /test:thing\.a → test:thing\.b → test:thing\.a/);
    assert.match(error?.message ?? '', /reference at runestone\.yaml:4/);
    assert.match(error?.message ?? '', /explicit at runestone\.yaml:5/);
  });
});

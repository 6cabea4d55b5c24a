// `runestone validate`: exit 0 for a valid stack; exit 2 for each kind of invalid input,
// with file:line:col, the code, what was found and expected, and a hint.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { removeDir, runestone, stack, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

async function validate(files: Readonly<Record<string, string>>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const dir = await writeStack(files);
  dirs.push(dir);
  return runestone(['validate', ...args], { cwd: dir });
}

interface InvalidCase {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  /** `file:line:col: error CODE` as it starts the diagnostic. */
  readonly at: string;
  readonly code: string;
  /** Text the diagnostic must contain (message, found/expected, hint). */
  readonly says: readonly (string | RegExp)[];
}

const DIR = (name: string, extra = ''): string => `  - kind: host:directory\n    name: ${name}\n${extra}    properties: { path: ./${name} }\n`;

const INVALID: readonly InvalidCase[] = [
  {
    name: 'an unknown key, with did-you-mean',
    files: { 'runestone.yaml': stack('resources:\n  - kind: host:file\n    name: a\n    propertes:\n      path: ./a\n') },
    at: 'runestone.yaml:6:5',
    code: 'RS_CONFIG_E0003',
    says: ['Unknown key "propertes"', 'hint: Did you mean "properties"?', '> 6 |     propertes:', '    |     ^^^^^^^^^'],
  },
  {
    name: 'a value of the wrong type',
    files: { 'runestone.yaml': stack('resources:\n  - kind: host:file\n    name: a\n    properties:\n      path: ./a\n      content: x\n      mode: 644\n') },
    at: 'runestone.yaml:9:13',
    code: 'RS_CONFIG_E0004',
    says: ['Invalid value for mode: Expected a string, found the number 644'],
  },
  {
    name: 'an expression that does not parse, pointing inside the string',
    files: { 'runestone.yaml': stack('resources:\n  - kind: host:file\n    name: a\n    properties:\n      path: ./a\n      content: "x ${1 +* 2}"\n') },
    // column of `*`: `      content: "x ${1 +` is 23 characters.
    at: 'runestone.yaml:8:24',
    code: 'RS_EXPR_E0001',
    says: ['Cannot parse "${1 +* 2}"', /\n {4}\| {24}\^\n/, 'hint: Expressions use CEL syntax'],
  },
  {
    name: 'an unknown variable in an expression',
    files: { 'runestone.yaml': stack('resources:\n  - kind: host:file\n    name: a\n    properties:\n      path: ./a\n      content: "${greting}"\n') },
    at: 'runestone.yaml:8:19',
    code: 'RS_EXPR_E0004',
    says: ['greting'],
  },
  {
    name: 'an unknown kind, with did-you-mean',
    files: { 'runestone.yaml': stack('resources:\n  - kind: host:fil\n    name: a\n    properties: { path: ./a }\n') },
    at: 'runestone.yaml:4:11',
    code: 'RS_CONFIG_E0006',
    says: ['Unknown resource kind "host:fil"', 'hint: Did you mean "host:file"?'],
  },
  {
    name: 'a dependency cycle, spelled out',
    files: { 'runestone.yaml': stack(`resources:\n${DIR('a', '    depends_on: [host:directory.b]\n')}${DIR('b', '    depends_on: [host:directory.a]\n')}`) },
    at: 'runestone.yaml:6:18',
    code: 'RS_PLAN_E0001',
    says: [
      'Dependency cycle: host:directory.a → host:directory.b → host:directory.a',
      'host:directory.a → host:directory.b (explicit at runestone.yaml:6:18)',
      'host:directory.b → host:directory.a (explicit at runestone.yaml:10:18)',
      'hint: ',
    ],
  },
  {
    name: 'an unknown depends_on address',
    files: { 'runestone.yaml': stack(`resources:\n${DIR('a', '    depends_on: [host:directory.zz]\n')}`) },
    at: 'runestone.yaml:6:18',
    code: 'RS_PLAN_E0002',
    says: ['Cannot resolve depends_on "host:directory.zz": no such resource', 'hint: Did you mean "host:directory.a"?'],
  },
  {
    name: 'a loop variable shadowing a global',
    files: { 'runestone.yaml': stack('variables:\n  region: eu\n  regions: [a, b]\nresources:\n  - kind: host:directory\n    name: r-${index}\n    for_each: ${regions}\n    as: region\n    properties: { path: "./${region}" }\n') },
    at: 'runestone.yaml:10:9',
    code: 'RS_EXPR_E0006',
    says: ['Loop variable "region" shadows the global "region" declared at runestone.yaml:4:3', 'hint: '],
  },
  {
    name: 'a variable named like a CEL type (it would read as the type)',
    files: { 'runestone.yaml': stack('variables:\n  list: [a, b]\nresources:\n  - kind: host:directory\n    name: d-${item}\n    for_each: ${list}\n    properties: { path: "./${item}" }\n') },
    at: 'runestone.yaml:4:3',
    code: 'RS_EXPR_E0010',
    says: ['Cannot use "list" as a variable name: it is reserved in expressions', 'hint: Rename it'],
  },
  {
    name: 'a duplicate address',
    files: { 'runestone.yaml': stack(`resources:\n${DIR('a')}${DIR('a')}`) },
    at: 'runestone.yaml:8:11',
    code: 'RS_PLAN_E0003',
    says: ['Duplicate resource address "host:directory.a": already declared at runestone.yaml:5:11', 'hint: '],
  },
  {
    name: 'a YAML syntax error',
    files: { 'runestone.yaml': stack('resources:\n  - kind: host:directory\n    name: a\n   properties: { path: ./a }\n') },
    at: 'runestone.yaml:6:1',
    code: 'RS_CONFIG_E0001',
    says: ['Cannot parse YAML', 'hint: Check indentation'],
  },
  {
    name: 'an error inside a module, with the include chain',
    files: {
      'runestone.yaml': stack('modules:\n  web:\n    source: ./mod\nresources:\n  - kind: module:web\n    name: one\n    inputs: { dir: ./one }\n'),
      'mod/module.yaml': 'inputs:\n  dir: { type: string }\nresources:\n  - kind: host:directory\n    name: d\n    properties:\n      path: ${inputs.dir}\n      mde: "0755"\n',
    },
    at: 'mod/module.yaml:8:7',
    code: 'RS_CONFIG_E0003',
    says: ['include chain: runestone.yaml:7:11 -> mod/module.yaml:8:7', 'Unknown key "mde"', 'hint: Did you mean "mode"?'],
  },
  {
    name: 'an invalid module input',
    files: {
      'runestone.yaml': stack('modules:\n  web:\n    source: ./mod\nresources:\n  - kind: module:web\n    name: one\n    inputs: { port: "80" }\n'),
      'mod/module.yaml': 'inputs:\n  port: { type: integer, minimum: 1 }\nresources: []\n',
    },
    at: 'runestone.yaml:9:21',
    code: 'RS_CONFIG_E0004',
    says: ['Expected an integer, found the string "80"'],
  },
];

describe('runestone validate', { concurrency: true }, () => {
  test('a valid stack exits 0 and says what it checked', async () => {
    const r = await validate({ 'runestone.yaml': stack(`resources:\n${DIR('a')}${DIR('b', '    count: 2\n')}`) });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'Configuration valid: 3 resources from 2 declarations in 1 file (stack e2e/dev)\n');
    assert.equal(r.err, '');
  });

  test('-f takes a directory of *.yaml files', async () => {
    const r = await validate({ 'stack/a.yaml': stack(`resources:\n${DIR('a')}`), 'stack/b.yaml': `resources:\n${DIR('b')}` }, '-f', 'stack');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2 resources from 2 declarations in 2 files/);
  });

  test('a missing config file exits 2 with a hint', async () => {
    const r = await validate({ 'other.yaml': stack('resources: []\n') });
    assert.equal(r.code, 2);
    assert.match(r.err, /error RS_CONFIG_E0002: /);
    assert.match(r.err, /hint: /);
  });

  for (const c of INVALID) {
    test(`rejects ${c.name} with ${c.code} at ${c.at}`, async () => {
      const r = await validate(c.files);
      assert.equal(r.code, 2, r.out);
      assert.equal(r.out, '', 'nothing on stdout');
      assert.ok(r.err.startsWith(`${c.at}: error ${c.code}: `), r.err);
      for (const text of c.says) {
        if (typeof text === 'string') assert.ok(r.err.includes(text), `expected ${JSON.stringify(text)} in:\n${r.err}`);
        else assert.match(r.err, text);
      }
    });
  }

  test('reports every error found, then a count', async () => {
    const r = await validate({ 'runestone.yaml': stack('resources:\n  - kind: host:fil\n    name: a\n  - kind: host:directory\n    name: b\n    properties: { path: ./b, mdoe: "0755" }\n') });
    assert.equal(r.code, 2);
    assert.deepEqual(
      [...r.err.matchAll(/^(\S+): error (RS_\w+)/gm)].map((m) => [m[1], m[2]]),
      [
        ['runestone.yaml:4:11', 'RS_CONFIG_E0006'],
        ['runestone.yaml:8:30', 'RS_CONFIG_E0003'],
      ],
    );
    assert.match(r.err, /\nFound 2 errors\n$/);
  });
});

// `runestone manifest validate`: .infra.yaml files checked against the published schema and
// the infra_manifest rules; every finding names its rule, level and file:line:col.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { copyFromRepo, REPO_ROOT, removeDir, runestone, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

async function validate(files: Readonly<Record<string, string>>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const dir = await writeStack(files);
  dirs.push(dir);
  return runestone(['manifest', 'validate', ...args], { cwd: dir });
}

const MESH = JSON.stringify({ hosts: { lime: {}, fennel: {} } });
const head = (project: string, extra = ''): string => `apiVersion: infra/v1\nproject: ${project}\nprovider: digitalocean\n${extra}`;

interface Case {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  readonly code: number;
  /** `file:line:col: error|warning CODE: [rule]` as the diagnostic starts. */
  readonly at: string;
  readonly says: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'a YAML syntax error',
    files: { '.infra.yaml': 'apiVersion: infra/v1\nproject: [a\n' },
    code: 2,
    at: '.infra.yaml:3:1: error RS_CONFIG_E0001: [schema]',
    says: ['Cannot parse YAML'],
  },
  {
    name: 'an unknown key, with did-you-mean',
    files: { 'svc/.infra.yaml': head('a', 'servise:\n  host: lime\n') },
    code: 2,
    at: 'svc/.infra.yaml:4:1: error RS_CONFIG_E0003: [schema]',
    says: ['Unknown key "servise" in the manifest\n', 'hint: Did you mean "service"?'],
  },
  {
    name: 'a provider outside the enum',
    files: { '.infra.yaml': 'apiVersion: infra/v1\nproject: a\nprovider: aws\n' },
    code: 2,
    at: '.infra.yaml:3:11: error RS_CONFIG_E0004: [schema]',
    says: ['Expected one of "digitalocean", "mac", "bare-metal", "local", found "aws"'],
  },
  {
    name: 'a wrong apiVersion',
    files: { '.infra.yaml': 'apiVersion: infra/v2\nproject: a\nprovider: mac\n' },
    code: 2,
    at: '.infra.yaml:1:13: error RS_CONFIG_E0004: [schema]',
    says: ['Expected "infra/v1"'],
  },
  {
    name: 'own_db: a second project reusing a database user',
    files: {
      'a/.infra.yaml': head('a', 'database: { cluster: main, name: a, user: shared }\n'),
      'b/.infra.yaml': head('b', 'database:\n  cluster: main\n  name: b\n  user: shared\n'),
    },
    code: 2,
    at: 'b/.infra.yaml:7:9: error RS_MANIFEST_E0001: [own_db]',
    says: ['Project "b" reuses database user "shared" on cluster "main" of project "a" (a/.infra.yaml)'],
  },
  {
    name: 'http_coupling: depending on a project whose database is shared',
    files: {
      'a/.infra.yaml': head('a', 'database: { cluster: main, name: data, user: a }\n'),
      'b/.infra.yaml': head('b', 'database: { cluster: main, name: data, user: b }\ndepends_on:\n  - a\n'),
    },
    code: 2,
    at: 'b/.infra.yaml:6:5: error RS_MANIFEST_E0001: [http_coupling]',
    says: ['Project "b" depends on "a" and shares its database "data" on cluster "main"'],
  },
  {
    name: 'host_in_mesh: a host the mesh does not know, with did-you-mean',
    files: { '.infra.yaml': head('a', 'service:\n  host: limee\n'), 'mesh.json': MESH },
    args: ['.infra.yaml', '--mesh', 'mesh.json'],
    code: 2,
    at: '.infra.yaml:5:9: error RS_MANIFEST_E0001: [host_in_mesh]',
    says: ['Host "limee" is not in the mesh hosts file', 'hint: Did you mean "lime"?'],
  },
  {
    name: 'host_in_mesh: a service with no host',
    files: { '.infra.yaml': head('a', 'service:\n  port: 80\n') },
    code: 2,
    at: '.infra.yaml:4:1: error RS_MANIFEST_E0001: [host_in_mesh]',
    says: ['The service of project "a" names no host'],
  },
  {
    name: 'env_variants: .infra.yaml declaring dev',
    files: { '.infra.yaml': head('a', 'environment: dev\n') },
    code: 0,
    at: '.infra.yaml:4:14: warning RS_MANIFEST_W0001: [env_variants]',
    says: ['.infra.yaml is the prod manifest but declares environment "dev"'],
  },
  {
    name: 'env_variants: .infra.dev.yaml without environment',
    files: { '.infra.dev.yaml': head('a') },
    code: 0,
    at: '.infra.dev.yaml:2:1: warning RS_MANIFEST_W0001: [env_variants]',
    says: ['does not set environment, so it defaults to prod', 'hint: Add environment: dev'],
  },
  {
    name: 'env_variants: an unknown variant name',
    files: { '.infra.staging.yaml': head('a') },
    code: 0,
    at: '.infra.staging.yaml:2:1: warning RS_MANIFEST_W0001: [env_variants]',
    says: ['Only .infra.dev.yaml is a known variant'],
  },
  {
    name: 'the same project and environment twice',
    files: { 'a/.infra.yaml': head('a'), 'b/.infra.yaml': head('a') },
    code: 2,
    at: 'b/.infra.yaml:2:10: error RS_MANIFEST_E0004: [env_variants]',
    says: ['Project "a" (prod) is also declared in a/.infra.yaml'],
  },
  {
    name: 'gpu_ondemand: a GPU without mode on-demand (a should: warns, exit 0)',
    files: { '.infra.yaml': head('a', 'gpu:\n  droplet: gpu-1\n') },
    code: 0,
    at: '.infra.yaml:4:1: warning RS_MANIFEST_W0001: [gpu_ondemand]',
    says: ['Project "a" declares a GPU without mode: on-demand'],
  },
];

describe('runestone manifest validate', () => {
  for (const c of CASES) {
    test(`reports ${c.name}`, async () => {
      const result = await validate(c.files, ...(c.args ?? []));
      assert.equal(result.code, c.code, result.err);
      assert.ok(result.err.includes(c.at), `expected "${c.at}" in:\n${result.err}`);
      for (const text of c.says) assert.ok(result.err.includes(text), `expected "${text}" in:\n${result.err}`);
    });
  }

  test('accepts a prod manifest and its dev variant, checking hosts against --mesh', async () => {
    const result = await validate(
      { 'p/.infra.yaml': head('p', 'service: { host: lime, port: 80 }\n'), 'p/.infra.dev.yaml': head('p', 'environment: dev\nservice: { host: fennel }\n'), 'mesh.json': MESH },
      'p',
      '--mesh',
      'mesh.json',
    );
    assert.equal(result.code, 0, result.err);
    assert.equal(result.err, '');
    assert.equal(result.out, 'Manifests valid: 2 files checked, 0 must and 0 should findings\n');
  });

  test('examples/manifests is valid against its mesh hosts file', async () => {
    const dir = await copyFromRepo('examples/manifests');
    dirs.push(dir);
    const result = await runestone(['manifest', 'validate', '--mesh', 'mesh-hosts.json'], { cwd: dir });
    assert.equal(result.code, 0, result.err);
    assert.equal(result.out, 'Manifests valid: 4 files checked, 0 must and 0 should findings\n');
  });

  test('--output json lists every finding with rule id, level and file:line:col (schemas/manifest-validation.schema.json)', async () => {
    const result = await validate({ 'a/.infra.yaml': head('a', 'gpu: {}\nservice: { host: nowhere }\n'), 'mesh.json': MESH }, 'a', '--mesh', 'mesh.json', '-o', 'json');
    assert.equal(result.code, 2);
    assert.equal(result.err, '');
    const doc = JSON.parse(result.out) as { kind: string; valid: boolean; findings: { rule: string; level: string; code: string; file: string; line: number; column: number }[] };
    const validateDoc = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas/manifest-validation.schema.json'), 'utf8')) as object);
    assert.ok(validateDoc(doc), JSON.stringify(validateDoc.errors));
    assert.equal(doc.kind, 'ManifestValidation');
    assert.equal(doc.valid, false);
    assert.deepEqual(
      doc.findings.map((f) => [f.rule, f.level, f.code, `${f.file}:${String(f.line)}:${String(f.column)}`]),
      [
        ['gpu_ondemand', 'should', 'RS_MANIFEST_W0001', 'a/.infra.yaml:4:1'],
        ['host_in_mesh', 'must', 'RS_MANIFEST_E0001', 'a/.infra.yaml:5:18'],
      ],
    );
  });

  test('fails with the search it made when a directory holds no manifest', async () => {
    const result = await validate({ 'empty/README.md': 'nothing\n' }, 'empty');
    assert.equal(result.code, 2);
    assert.match(result.err, /error RS_MANIFEST_E0002: No \.infra\.yaml or \.infra\.<env>\.yaml found under "empty"/);
  });

  test('fails on an unknown subcommand with the list of subcommands', async () => {
    const result = await validate({}, 'x');
    const bad = await runestone(['manifest', 'check'], { cwd: dirs.at(-1) ?? '.' });
    assert.equal(result.code, 2);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Unknown subcommand "check" for "runestone manifest"\nhint: Use one of: validate, reconcile/);
  });
});

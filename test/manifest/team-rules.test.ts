// Team rules: a YAML file of {id, level, text, rationale, applies_to, check} where `check` is a
// CEL expression over `manifest`, loaded with --rules (or .runestone/manifest-rules.yaml) by
// `manifest validate|reconcile` and by `preview|commit -f .infra.yaml`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { copyFromRepo, REPO_ROOT, removeDir, runestone, writeStack, type CliResult } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

async function run(files: Readonly<Record<string, string>>, ...args: string[]): Promise<CliResult> {
  const dir = await writeStack(files);
  dirs.push(dir);
  return runestone(args, { cwd: dir });
}

const head = (project: string, extra = ''): string => `apiVersion: infra/v1\nproject: ${project}\nprovider: digitalocean\n${extra}`;

const RULES = `rules:
  - id: unprivileged_port
    level: must
    text: A service listens on port 1024 or above.
    rationale: Services never run as root.
    check: '!has(manifest.service) || manifest.service.port >= 1024'
  - id: prod_has_database
    level: should
    text: A prod project has its own database.
    applies_to:
      environment: [prod]
    check: has(manifest.database)
`;

describe('team rules (--rules FILE)', () => {
  test('the example rules file is valid against its schema, and examples/manifests follows it', async () => {
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas/manifest-rules.schema.json'), 'utf8')) as object;
    const example = parseYaml(readFileSync(path.join(REPO_ROOT, 'examples/manifests/team-rules.yaml'), 'utf8')) as unknown;
    const check = new Ajv2020({ strict: false }).compile(schema);
    assert.ok(check(example), JSON.stringify(check.errors));
    const dir = await copyFromRepo('examples/manifests');
    dirs.push(dir);
    const result = await runestone(['manifest', 'validate', '--mesh', 'mesh-hosts.json', '--rules', 'team-rules.yaml'], { cwd: dir });
    assert.equal(result.code, 0, result.err);
    assert.equal(result.out, 'Manifests valid: 4 files checked, 0 must and 0 should findings\n');
  });

  test('a broken must rule fails (exit 2) at the field its check names; a should rule warns', async () => {
    const result = await run({ 'rules.yaml': RULES, 'a/.infra.yaml': head('a', 'service:\n  host: lime\n  port: 80\n') }, 'manifest', 'validate', '--rules', 'rules.yaml', 'a');
    assert.equal(result.code, 2, result.err);
    assert.ok(result.err.includes('a/.infra.yaml:6:9: error RS_MANIFEST_E0001: [unprivileged_port] Project "a" breaks team rule: A service listens on port 1024 or above.'), result.err);
    assert.ok(result.err.includes('hint: Services never run as root.'), result.err);
    assert.ok(result.err.includes('a/.infra.yaml:1:1: warning RS_MANIFEST_W0001: [prod_has_database] Project "a" breaks team rule: A prod project has its own database.'), result.err);
    assert.equal(result.out, 'Manifests invalid: 1 file checked, 1 must and 1 should finding (no --mesh: hosts not checked against the mesh)\n');
  });

  test('--output json names the team rule id and level with file:line:col (schemas/manifest-validation.schema.json)', async () => {
    const result = await run({ 'rules.yaml': RULES, 'a/.infra.yaml': head('a', 'service:\n  host: lime\n  port: 80\n') }, 'manifest', 'validate', '--rules', 'rules.yaml', 'a', '-o', 'json');
    assert.equal(result.code, 2);
    const doc = JSON.parse(result.out) as { findings: { rule: string; level: string; code: string; file: string; line: number; column: number }[] };
    const validateDoc = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas/manifest-validation.schema.json'), 'utf8')) as object);
    assert.ok(validateDoc(doc), JSON.stringify(validateDoc.errors));
    assert.deepEqual(
      doc.findings.map((f) => [f.rule, f.level, f.code, `${f.file}:${String(f.line)}:${String(f.column)}`]),
      [
        ['prod_has_database', 'should', 'RS_MANIFEST_W0001', 'a/.infra.yaml:1:1'],
        ['unprivileged_port', 'must', 'RS_MANIFEST_E0001', 'a/.infra.yaml:6:9'],
      ],
    );
  });

  test('applies_to limits a rule to the listed environments; a passing check is silent', async () => {
    const result = await run(
      { 'rules.yaml': RULES, 'a/.infra.dev.yaml': head('a', 'environment: dev\nservice:\n  host: fennel\n  port: 18080\n') },
      'manifest',
      'validate',
      '--rules',
      'rules.yaml',
      'a',
    );
    assert.equal(result.code, 0, result.err);
    assert.equal(result.err, '');
  });

  test('.runestone/manifest-rules.yaml in the working directory is loaded without --rules; --rules replaces it', async () => {
    const files = { '.runestone/manifest-rules.yaml': RULES, 'other.yaml': 'rules: []\n', 'a/.infra.yaml': head('a', 'database: { cluster: c, name: a, user: a }\nservice: { host: lime, port: 443 }\n') };
    const auto = await run(files, 'manifest', 'validate', 'a');
    assert.equal(auto.code, 2, auto.err);
    assert.ok(auto.err.includes('a/.infra.yaml:5:30: error RS_MANIFEST_E0001: [unprivileged_port]'), auto.err);
    const replaced = await run(files, 'manifest', 'validate', 'a', '--rules', 'other.yaml');
    assert.equal(replaced.code, 0, replaced.err);
  });

  test('reconcile checks team rules on every manifest under the roots', async () => {
    const result = await run({ 'rules.yaml': RULES, 'a/.infra.yaml': head('a', 'service:\n  host: lime\n  port: 22\n') }, 'manifest', 'reconcile', '--roots', '.', '--rules', 'rules.yaml');
    assert.equal(result.code, 2, result.err);
    assert.ok(result.err.includes('a/.infra.yaml:6:9: error RS_MANIFEST_E0001: [unprivileged_port]'), result.err);
  });

  test('preview -f .infra.yaml refuses a manifest breaking a must team rule before anything runs', async () => {
    const result = await run({ 'rules.yaml': RULES, '.infra.yaml': head('a', 'service:\n  host: lime\n  port: 80\n') }, 'preview', '-f', '.infra.yaml', '--rules', 'rules.yaml');
    assert.equal(result.code, 2, result.err);
    assert.ok(result.err.includes('.infra.yaml:6:9: error RS_MANIFEST_E0001: [unprivileged_port]'), result.err);
  });

  test('a check that cannot be evaluated is a finding of the rule, located in the rules file', async () => {
    const rules = 'rules:\n  - id: db_named\n    level: must\n    text: The database is named after the project.\n    check: manifest.database.name == manifest.project\n';
    const result = await run({ 'rules.yaml': rules, '.infra.yaml': head('a') }, 'manifest', 'validate', '--rules', 'rules.yaml');
    assert.equal(result.code, 2, result.err);
    assert.ok(result.err.includes('.infra.yaml:2:10: error RS_MANIFEST_E0007: [db_named] Team rule "db_named" could not be checked on project "a"'), result.err);
    assert.ok(result.err.includes('No such key: database (rules.yaml:5:12)'), result.err);
  });
});

describe('team rules files that are wrong', () => {
  const CASES: readonly { readonly name: string; readonly rules: string; readonly says: readonly string[] }[] = [
    {
      name: 'an id that clashes with a built-in rule',
      rules: 'rules:\n  - id: own_db\n    level: must\n    text: t\n    check: "true"\n',
      says: ['rules.yaml:2:9: error RS_MANIFEST_E0006: Team rule id "own_db" clashes with the built-in rule of that id'],
    },
    {
      name: 'the same id twice',
      rules: 'rules:\n  - id: a\n    level: must\n    text: t\n    check: "true"\n  - id: a\n    level: should\n    text: t\n    check: "true"\n',
      says: ['rules.yaml:6:9: error RS_MANIFEST_E0006: Team rule id "a" is declared twice'],
    },
    {
      name: 'a CEL syntax error, at its column',
      rules: "rules:\n  - id: port\n    level: must\n    text: t\n    check: 'manifest.service.port >= )'\n",
      says: ['rules.yaml:5:38: error RS_EXPR_E0001: Cannot parse check "manifest.service.port >= )" of team rule "port"'],
    },
    {
      name: 'a check reading a variable other than manifest',
      rules: 'rules:\n  - id: a\n    level: must\n    text: t\n    check: manfest.project != ""\n',
      says: ['rules.yaml:5:12: error RS_EXPR_E0004: Check of team rule "a" reads unknown variable "manfest"'],
    },
    {
      name: 'a level outside must|should',
      rules: 'rules:\n  - id: a\n    level: may\n    text: t\n    check: "true"\n',
      says: ['rules.yaml:3:12: error RS_CONFIG_E0004: Invalid value for rules[0].level: Expected one of "must", "should", found "may"'],
    },
    {
      name: 'a YAML syntax error',
      rules: 'rules:\n  - id: [a\n',
      says: ['rules.yaml:3:1: error RS_CONFIG_E0001'],
    },
  ];
  for (const c of CASES) {
    test(`reports ${c.name} at file:line:col`, async () => {
      const result = await run({ 'rules.yaml': c.rules, '.infra.yaml': head('a') }, 'manifest', 'validate', '--rules', 'rules.yaml');
      assert.equal(result.code, 2, result.err);
      for (const text of c.says) assert.ok(result.err.includes(text), `expected "${text}" in:\n${result.err}`);
    });
  }

  test('a --rules file that does not exist', async () => {
    const result = await run({ '.infra.yaml': head('a') }, 'manifest', 'validate', '--rules', 'missing.yaml');
    assert.equal(result.code, 2, result.err);
    assert.ok(result.err.includes('error RS_MANIFEST_E0006: Cannot read rules file "missing.yaml": it does not exist'), result.err);
  });
});

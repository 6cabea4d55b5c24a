// The CLI surface: graph formats, schema, help for every verb, version, usage errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT, removeDir, runestone, stack, writeStack } from '../helpers/cli.ts';

const GRAPH_STACK = stack(
  [
    'modules:',
    '  site: { source: ./site }',
    'resources:',
    '  - kind: host:directory',
    '    name: root',
    '    properties: { path: ./root }',
    '  - kind: host:file',
    '    name: a',
    '    depends_on: [host:directory.root]',
    '    properties: { path: ./root/a, content: a }',
    '  - kind: module:site',
    '    name: web',
    '    depends_on: [host:directory.root]',
    '',
  ].join('\n'),
);
const SITE = 'resources:\n  - kind: host:file\n    name: page\n    properties: { path: ./root/page, content: p }\n';

let dir: string;
before(async () => {
  dir = await writeStack({ 'runestone.yaml': GRAPH_STACK, 'site/module.yaml': SITE });
});
after(() => removeDir(dir));

const cli = (...args: string[]): ReturnType<typeof runestone> => runestone(args, { cwd: dir });

describe('runestone graph', { concurrency: true }, () => {
  test('text: boxes and arrows, module members grouped under their instance', async () => {
    const r = await cli('graph');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\| root {11,}\|/);
    assert.match(r.out, /\| host:directory \|/);
    assert.match(r.out, /┌ module:site\.web ┐/);
    assert.match(r.out, /▼/);
  });

  test('mermaid', async () => {
    const r = await cli('graph', '--format', 'mermaid');
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.startsWith('graph TD\n'));
    assert.match(r.out, /n\d\["root<br\/>host:directory"\]/);
    assert.match(r.out, /subgraph/);
    assert.equal((r.out.match(/-->/g) ?? []).length >= 2, true);
  });

  test('dot', async () => {
    const r = await cli('graph', '--format', 'dot');
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.startsWith('digraph runestone {\n'));
    assert.match(r.out, /"host:directory\.root" -> "host:file\.a" \[label="explicit"\];/);
    assert.ok(r.out.trimEnd().endsWith('}'));
  });

  test('json matches schemas/graph.schema.json', async () => {
    const r = await cli('graph', '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'schemas/graph.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const doc = JSON.parse(r.stdout) as { nodes: { id: string; module?: string }[]; edges: { node: string; dependsOn: string; reason: string }[] };
    assert.ok(validate(doc), JSON.stringify(validate.errors));
    assert.deepEqual(doc.nodes.find((n) => n.id === 'module:site.web/host:file.page')?.module, 'module:site.web');
    assert.ok(doc.edges.some((e) => e.node === 'module:site.web/host:file.page' && e.dependsOn === 'host:directory.root' && e.reason === 'module'));
  });

  test('an unknown format exits 2 with the choices', async () => {
    const r = await cli('graph', '--format', 'svg');
    assert.equal(r.code, 2);
    assert.equal(r.err, 'error RS_CLI_E0002: Invalid value for --format: "svg"\nhint: Use text, mermaid, dot or json\n');
  });
});

describe('runestone schema', { concurrency: true }, () => {
  test('with no argument prints the stack schema with every kind attached', async () => {
    const r = await cli('schema');
    assert.equal(r.code, 0, r.err);
    const schema = JSON.parse(r.stdout) as { $schema: string; title: string };
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.title, 'Runestone stack');
    for (const kind of ['host:file', 'host:directory', 'host:link', 'host:template', 'host:command']) assert.ok(r.stdout.includes(`"${kind}"`), kind);
    new Ajv2020({ strict: false }).compile(schema);
  });

  test('a kind prints its properties schema', async () => {
    const r = await cli('schema', 'host:file');
    assert.equal(r.code, 0, r.err);
    const schema = JSON.parse(r.stdout) as { title: string; required: string[]; properties: Record<string, unknown> };
    assert.equal(schema.title, 'host:file');
    assert.deepEqual(schema.required, ['path']);
    assert.deepEqual(Object.keys(schema.properties).sort(), ['content', 'mode', 'path', 'source']);
  });

  test('--list names every kind with a description', async () => {
    const r = await cli('schema', '--list');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      r.out.trimEnd().split('\n').map((line) => line.split(/\s+/)[0]),
      ['aws:ec2:instance', 'aws:ec2:security-group', 'aws:ec2:subnet', 'aws:ec2:vpc', 'aws:iam:policy', 'aws:iam:role', 'aws:iam:user', 'aws:lambda:function', 'aws:rds:instance', 'aws:s3:bucket', 'host:assert', 'host:command', 'host:copy', 'host:directory', 'host:download', 'host:file', 'host:link', 'host:template', 'host:unarchive', 'kubernetes:<apiVersion>:<Kind>', 'kubernetes:manifests', 'postgres:database', 'postgres:role'],
    );
  });

  test('an unknown kind exits 2 with a suggestion', async () => {
    const r = await cli('schema', 'host:fil');
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err, 'error RS_CLI_E0002: Unknown schema "host:fil"\nhint: Did you mean "host:file"?\n');
  });
});

const COMMON = ['-h, --help', '--debug', '--no-color'];
const STACK_FLAGS = ['-f, --file FILE|DIR', '--var NAME=VALUE', '--var-file FILE'];
const VERB_FLAGS: Readonly<Record<string, readonly string[]>> = {
  bootstrap: [...STACK_FLAGS, '--upgrade'],
  validate: STACK_FLAGS,
  preview: [...STACK_FLAGS, '-o, --output text|json|markdown', '--out FILE', '--events FILE', '--target ADDRESS', '--parallelism N', '--detect-changes'],
  commit: [...STACK_FLAGS, '-y, --yes', '--plan FILE', '--graph', '-o, --output', '--events FILE', '--target ADDRESS', '--parallelism N', '--timeout DURATION'],
  align: [...STACK_FLAGS, '--auto-heal true|false', '--watch', '--interval DURATION', '-o, --output', '--events FILE', '--target ADDRESS', '--parallelism N', '--timeout DURATION'],
  dismantle: [...STACK_FLAGS, '-y, --yes', '-o, --output', '--events FILE', '--target ADDRESS', '--parallelism N', '--timeout DURATION'],
  graph: [...STACK_FLAGS, '--format text|mermaid|dot|json'],
  schema: ['--list'],
  manifest: ['-o, --output text|json|markdown', '--mesh FILE', '--roots DIR', '--check'],
};

describe('help and version', { concurrency: true }, () => {
  test('--help lists every verb and the exit codes', async () => {
    const r = await cli('--help');
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.startsWith('Runestone 0.1.0: '));
    for (const verb of Object.keys(VERB_FLAGS)) assert.match(r.out, new RegExp(`\\n {2}${verb} +\\S`), verb);
    assert.match(r.out, /Exit codes:\n +0 {2}success\n +1 {2}an internal error[^\n]*\n +2 {2}invalid config or usage\n +3 {2}a change or action failed\n +4 {2}changes or drift pending/);
  });

  for (const [verb, flags] of Object.entries(VERB_FLAGS)) {
    test(`${verb} --help lists its flags`, async () => {
      const r = await cli(verb, '--help');
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.startsWith(`Usage: runestone ${verb}`), r.out);
      const options = r.out.slice(r.out.indexOf('\nOptions:\n'));
      for (const flag of [...flags, ...COMMON]) assert.ok(options.includes(flag), `${verb} --help lacks ${flag}`);
      assert.match(r.out, /\nExamples:\n {2}runestone /);
    });
  }

  test('--version and -V print the package version', async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await cli(flag);
      assert.equal(r.code, 0);
      assert.equal(r.out, `runestone ${pkg.version}\n`);
    }
  });
});

describe('usage errors', { concurrency: true }, () => {
  test('the verb apply exits 2 and points at commit', async () => {
    const r = await cli('apply');
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err, 'error RS_CLI_E0001: Unknown verb "apply"\nhint: Runestone calls it "commit": runestone commit\n');
  });

  test('the verb plan exits 2 and points at preview', async () => {
    const r = await cli('plan');
    assert.equal(r.code, 2);
    assert.match(r.err, /^error RS_CLI_E0001: Unknown verb "plan"\nhint: .*runestone preview/);
  });

  test('an unknown option exits 2 and points at the verb help', async () => {
    const r = await cli('preview', '--bogus');
    assert.equal(r.code, 2);
    assert.equal(r.err, 'error RS_CLI_E0001: Unknown option "--bogus" for "runestone preview"\nhint: Run `runestone preview --help` to see its options\n');
  });

  test('no verb prints the help and exits 2', async () => {
    const r = await cli();
    assert.equal(r.code, 2);
    assert.match(r.out + r.err, /Usage: runestone <verb>/);
  });
});

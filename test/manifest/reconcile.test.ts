// `runestone manifest reconcile`: the estate report from every manifest under the roots, and
// the mesh hosts file's services map, rewritten only when it changes.
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { copyFromRepo, REPO_ROOT, removeDir, runestone, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

const manifest = (project: string, extra = ''): string => `apiVersion: infra/v1\nproject: ${project}\nprovider: digitalocean\n${extra}`;

describe('runestone manifest reconcile (examples/manifests)', () => {
  test('--check exits 4 while the services map is stale, reconcile writes it once, then --check exits 0', async () => {
    const dir = await copyFromRepo('examples/manifests');
    dirs.push(dir);
    const mesh = path.join(dir, 'mesh-hosts.json');
    const before = await readFile(mesh, 'utf8');

    const check = await runestone(['manifest', 'reconcile', '--roots', '.', '--mesh', 'mesh-hosts.json', '--check'], { cwd: dir });
    assert.equal(check.code, 4, check.err);
    assert.equal(check.err, 'mesh-hosts.json: services map would change (run without --check to write it)\n');
    assert.equal(await readFile(mesh, 'utf8'), before, '--check must not write');
    assert.match(check.out, /Services per host:\n {2}fennel\n {4}billing \(dev\) {2}node {2}:18080 {2}\[mac\]\n {2}lime\n {4}billing \(prod\)/);
    assert.match(check.out, /Databases per cluster:\n {2}main-pg\n {4}billing \(dev\) {2}database billing_dev {2}user billing_dev/);
    assert.match(check.out, /HTTP dependencies:\n {2}storefront -> billing\n {2}storefront -> imagegen\n/);
    assert.match(check.out, /GPU users:\n {2}imagegen \(prod\) {2}on-demand {2}droplet gpu-h100x1\n/);

    const write = await runestone(['manifest', 'reconcile', '--roots', '.', '--mesh', 'mesh-hosts.json'], { cwd: dir });
    assert.equal(write.code, 0, write.err);
    assert.equal(write.err, 'mesh-hosts.json: services map updated\n');
    const written = JSON.parse(await readFile(mesh, 'utf8')) as { hosts: Record<string, unknown>; services: Record<string, { project: string; environment: string; port?: number }[]> };
    assert.deepEqual(Object.keys(written.hosts), ['lime', 'fennel', 'redroid'], 'other keys are kept as they were');
    assert.deepEqual(
      Object.fromEntries(Object.entries(written.services).map(([host, list]) => [host, list.map((s) => `${s.project}/${s.environment}:${String(s.port)}`)])),
      { fennel: ['billing/dev:18080'], lime: ['billing/prod:8080', 'storefront/prod:8081'], redroid: ['imagegen/prod:9000'] },
    );
    const mtime = (await stat(mesh)).mtimeMs;

    const again = await runestone(['manifest', 'reconcile', '--roots', '.', '--mesh', 'mesh-hosts.json'], { cwd: dir });
    assert.equal(again.code, 0, again.err);
    assert.equal(again.err, 'mesh-hosts.json: services map is up to date\n');
    assert.equal((await stat(mesh)).mtimeMs, mtime, 'an unchanged services map is not rewritten');
    const recheck = await runestone(['manifest', 'reconcile', '--roots', '.', '--mesh', 'mesh-hosts.json', '--check'], { cwd: dir });
    assert.equal(recheck.code, 0, recheck.err);
  });

  test('--output json, markdown and mermaid describe the same estate', async () => {
    const dir = await copyFromRepo('examples/manifests');
    dirs.push(dir);
    const json = await runestone(['manifest', 'reconcile', '.', '--mesh', 'mesh-hosts.json', '--check', '-o', 'json'], { cwd: dir });
    assert.equal(json.code, 4);
    const doc = JSON.parse(json.out) as { kind: string; manifests: number; dependencies: { edges: unknown[]; cycles: unknown[] }; gpu: { project: string }[]; mesh: { changed: boolean }; findings: unknown[] };
    const validateDoc = new Ajv2020({ strict: false }).compile(JSON.parse(await readFile(path.join(REPO_ROOT, 'schemas/manifest-estate.schema.json'), 'utf8')) as object);
    assert.ok(validateDoc(doc), JSON.stringify(validateDoc.errors));
    assert.equal(doc.kind, 'ManifestEstate');
    assert.equal(doc.manifests, 4);
    assert.deepEqual(doc.dependencies.edges, [
      { from: 'storefront', to: 'billing' },
      { from: 'storefront', to: 'imagegen' },
    ]);
    assert.deepEqual(doc.gpu.map((g) => g.project), ['imagegen']);
    assert.deepEqual(doc.mesh, { file: 'mesh-hosts.json', changed: true });
    assert.deepEqual(doc.findings, []);

    const mermaid = await runestone(['manifest', 'reconcile', '--roots', '.', '-o', 'mermaid'], { cwd: dir });
    assert.equal(mermaid.code, 0, mermaid.err);
    assert.equal(mermaid.out, 'flowchart LR\n  p_billing["billing"]\n  p_imagegen["imagegen"]\n  p_storefront["storefront"]\n  p_storefront --> p_billing\n  p_storefront --> p_imagegen\n');

    const markdown = await runestone(['manifest', 'reconcile', '--roots', '.', '-o', 'markdown'], { cwd: dir });
    assert.equal(markdown.code, 0, markdown.err);
    assert.ok(markdown.out.includes('| lime | storefront | prod | node | 8081 | storefront.service | digitalocean |'), markdown.out);
    assert.ok(markdown.out.includes('```mermaid\nflowchart LR\n'));
    assert.ok(markdown.out.includes('### Findings\n\nNone.'));
  });
});

describe('runestone manifest reconcile findings', () => {
  test('a dangling dependency is a must finding: exit 2 and the mesh file is left alone', async () => {
    const dir = await writeStack({
      'a/.infra.yaml': manifest('a', 'service: { host: lime }\ndepends_on: [ghost]\n'),
      'mesh.json': '{"hosts":{"lime":{}}}\n',
    });
    dirs.push(dir);
    const result = await runestone(['manifest', 'reconcile', '--roots', '.', '--mesh', 'mesh.json'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.ok(result.out.includes('  a -> ghost  (dangling: no manifest)'), result.out);
    assert.ok(result.err.includes('a/.infra.yaml:5:14: error RS_MANIFEST_E0001: [dangling_dependency] Project "a" depends on "ghost", which has no manifest'), result.err);
    assert.ok(result.err.endsWith('Manifests invalid: 1 must and 0 should findings; mesh.json left unchanged\n'), result.err);
    assert.equal(await readFile(path.join(dir, 'mesh.json'), 'utf8'), '{"hosts":{"lime":{}}}\n');
  });

  test('a dependency cycle is spelled out as a should finding and still reconciles', async () => {
    const dir = await writeStack({
      'a/.infra.yaml': manifest('a', 'depends_on: [b]\n'),
      'b/.infra.yaml': manifest('b', 'depends_on: [c]\n'),
      'c/.infra.yaml': manifest('c', 'depends_on: [a]\n'),
      'd/.infra.yaml': manifest('d', 'depends_on: [a]\n'),
    });
    dirs.push(dir);
    const result = await runestone(['manifest', 'reconcile', '--roots', 'a', '--roots', 'b', 'c', 'd', '-o', 'json'], { cwd: dir });
    assert.equal(result.code, 0, result.err);
    const doc = JSON.parse(result.out) as { dependencies: { cycles: string[][] }; findings: { rule: string; level: string; file: string; line: number; message: string }[] };
    const validateDoc = new Ajv2020({ strict: false }).compile(JSON.parse(await readFile(path.join(REPO_ROOT, 'schemas/manifest-estate.schema.json'), 'utf8')) as object);
    assert.ok(validateDoc(doc), JSON.stringify(validateDoc.errors));
    assert.deepEqual(doc.dependencies.cycles, [['a', 'b', 'c', 'a']]);
    assert.deepEqual(
      doc.findings.map((f) => [f.rule, f.level, `${f.file}:${String(f.line)}`, f.message]),
      [['dependency_cycle', 'should', 'a/.infra.yaml:4', 'HTTP dependencies form a cycle: a -> b -> c -> a']],
    );
  });

  test('an invalid mesh hosts file is a typed error', async () => {
    const dir = await writeStack({ '.infra.yaml': manifest('a'), 'mesh.json': '{"hosts": 3}' });
    dirs.push(dir);
    const result = await runestone(['manifest', 'reconcile', '--mesh', 'mesh.json'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.err, /error RS_MANIFEST_E0003: Invalid mesh hosts file "mesh.json": no "hosts" map/);
  });
});

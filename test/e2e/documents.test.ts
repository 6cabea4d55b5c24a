// Preview documents: --output json against the published schema, --output markdown with a
// Mermaid graph, and --out plan.json applied by commit --plan (refused when live state moved).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { REPO_ROOT, removeDir, runestone, stack, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

const STACK = stack(
  [
    'resources:',
    '  - kind: host:directory',
    '    name: root',
    '    properties: { path: ./root }',
    '  - kind: host:file',
    '    name: a',
    '    properties: { path: "${res.root.path}/a.txt", content: "A\\n" }',
    '  - kind: host:file',
    '    name: b',
    '    depends_on: [host:directory.root]',
    '    properties: { path: ./root/b.txt, content: "B\\n" }',
    '',
  ].join('\n'),
);

async function fixture(): Promise<string> {
  const dir = await writeStack({ 'runestone.yaml': STACK });
  dirs.push(dir);
  return dir;
}

async function loadSchema(name: string): Promise<object> {
  return JSON.parse(await readFile(path.join(REPO_ROOT, 'schemas', name), 'utf8')) as object;
}

describe('preview documents', { concurrency: true }, () => {
  test('--output json is the only thing on stdout and matches schemas/preview.schema.json', async () => {
    const dir = await fixture();
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validatePreview = ajv.compile(await loadSchema('preview.schema.json'));

    const first = await runestone(['preview', '--output', 'json'], { cwd: dir });
    assert.equal(first.code, 0, first.err);
    const doc = JSON.parse(first.stdout) as { apiVersion: string; kind: string; stack: string; hasChanges: boolean; summary: Record<string, number>; changes: { nodeId: string; action: string }[] };
    assert.ok(validatePreview(doc), JSON.stringify(validatePreview.errors));
    assert.equal(doc.apiVersion, 'runestone.dev/v1');
    assert.equal(doc.kind, 'Preview');
    assert.equal(doc.stack, 'e2e/dev');
    assert.equal(doc.hasChanges, true);
    assert.equal(doc.summary['create'], 3);
    assert.deepEqual(
      doc.changes.map((c) => [c.nodeId, c.action]),
      [
        ['host:directory.root', 'create'],
        ['host:file.a', 'create'],
        ['host:file.b', 'create'],
      ],
    );

    assert.equal((await runestone(['commit', '--yes'], { cwd: dir })).code, 0);
    await writeFile(path.join(dir, 'root/a.txt'), 'drifted\n');
    const drifted = await runestone(['preview', '--output', 'json', '--detect-changes'], { cwd: dir });
    assert.equal(drifted.code, 4);
    const driftDoc = JSON.parse(drifted.stdout) as { hasDrift: boolean; drift: { nodeId: string }[] };
    assert.ok(validatePreview(driftDoc), JSON.stringify(validatePreview.errors));
    assert.equal(driftDoc.hasDrift, true);
    assert.deepEqual(
      driftDoc.drift.map((d) => d.nodeId),
      ['host:file.a'],
    );
  });

  test('commit --output json matches schemas/result.schema.json', async () => {
    const dir = await fixture();
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validateResult = ajv.compile(await loadSchema('result.schema.json'));
    const r = await runestone(['commit', '--yes', '--output', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.ok(validateResult(JSON.parse(r.stdout)), JSON.stringify(validateResult.errors));
  });

  test('--output markdown has a summary table and a mermaid graph', async () => {
    const dir = await fixture();
    const r = await runestone(['preview', '--output', 'markdown'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.startsWith('## Runestone preview: <code>e2e/dev</code>\n'), r.out);
    assert.match(r.out, /\| <code>\+<\/code> \| Create \| 3 \|/);
    const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(r.out);
    assert.ok(mermaid, 'a ```mermaid block');
    assert.match(mermaid[1]!, /^graph TD\n/);
    assert.match(mermaid[1]!, /\[\+\] root<br\/>host:directory/);
    assert.equal((mermaid[1]!.match(/-->/g) ?? []).length, 2, 'one arrow per edge');
  });

  test('preview --out then commit --plan applies exactly the saved plan', async () => {
    const dir = await fixture();
    const saved = await runestone(['preview', '--out', 'plan.json'], { cwd: dir });
    assert.equal(saved.code, 0, saved.err);
    assert.match(saved.err, /Saved plan to plan\.json/);
    JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8'));
    const r = await runestone(['commit', '--plan', 'plan.json'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.equal((r.out.match(/\+ Created /g) ?? []).length, 3);
    assert.equal(await readFile(path.join(dir, 'root/b.txt'), 'utf8'), 'B\n');
  });

  test('commit --plan refuses, naming the address, when a managed file moved since the preview', async () => {
    const dir = await fixture();
    assert.equal((await runestone(['commit', '--yes'], { cwd: dir })).code, 0);
    await writeFile(path.join(dir, 'root/b.txt'), 'drift 1\n');
    assert.equal((await runestone(['preview', '--out', 'plan.json'], { cwd: dir })).code, 0);
    await writeFile(path.join(dir, 'root/b.txt'), 'drift 2\n');
    const r = await runestone(['commit', '--plan', 'plan.json'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.out, 'Committing infrastructure changes...\n\n', 'no summary for a refused run');
    assert.match(r.err, /^error RS_ENGINE_E0004: Cannot commit the saved plan: live state moved since it was saved for "host:file\.b"\nhint: /);
    assert.equal(await readFile(path.join(dir, 'root/b.txt'), 'utf8'), 'drift 2\n', 'nothing was changed');
  });

  test('commit --plan refuses a plan saved for a different configuration', async () => {
    const dir = await fixture();
    assert.equal((await runestone(['preview', '--out', 'plan.json'], { cwd: dir })).code, 0);
    await writeFile(path.join(dir, 'runestone.yaml'), STACK.replace('"A\\n"', '"A2\\n"'));
    const r = await runestone(['commit', '--plan', 'plan.json'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /^error RS_ENGINE_E0005: /);
    assert.equal((await runestone(['preview', '--detect-changes'], { cwd: dir })).code, 4, 'nothing was created');
  });

  test('commit --plan with a file that is not a plan exits 2', async () => {
    const dir = await fixture();
    await writeFile(path.join(dir, 'plan.json'), '{"nope": true}');
    const r = await runestone(['commit', '--plan', 'plan.json'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /error RS_CLI_E0004: /);
  });
});

// Host step actions beyond shell/command/file/template, through the real CLI: preview
// changes nothing and shows the change, commit applies it, a second commit changes nothing.
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { removeDir, runestone, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

async function fixture(files: Record<string, string>): Promise<string> {
  const dir = await writeStack(files);
  dirs.push(dir);
  return dir;
}

interface Summary {
  readonly summary: { readonly done: number; readonly counts: Record<string, number> };
}

async function commitJson(dir: string): Promise<Summary & { code: number; err: string }> {
  const result = await runestone(['commit', '-f', 'steps.yaml', '--yes', '-o', 'json'], { cwd: dir });
  assert.equal(result.code, 0, result.out + result.err);
  return { ...(JSON.parse(result.stdout) as Summary), code: result.code, err: result.err };
}

describe('copy', () => {
  const STEPS = 'steps:\n  - name: app config\n    copy: { src: files/app.conf, dest: ./out/app.conf, mode: "0640", backup: true }\n';

  test('preview shows the copy, commit writes it with its mode, a second commit changes nothing', async () => {
    const dir = await fixture({ 'steps.yaml': STEPS, 'files/app.conf': 'port = 1\n' });
    const preview = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
    assert.equal(preview.code, 0, preview.err);
    assert.match(preview.out, /\+ host:copy\.app-config/);
    await assert.rejects(stat(path.join(dir, 'out')), 'preview must not touch the disk');

    await commitJson(dir);
    assert.equal(await readFile(path.join(dir, 'out/app.conf'), 'utf8'), 'port = 1\n');
    assert.equal((await stat(path.join(dir, 'out/app.conf'))).mode & 0o7777, 0o640);
    assert.equal((await commitJson(dir)).summary.done, 0);
  });

  test('a changed source shows the checksum change, and backup keeps the old file', async () => {
    const dir = await fixture({ 'steps.yaml': STEPS, 'files/app.conf': 'port = 1\n' });
    await commitJson(dir);
    await writeFile(path.join(dir, 'files/app.conf'), 'port = 2\n');
    const preview = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
    assert.equal(preview.code, 0, preview.err);
    assert.match(preview.out, /~ host:copy\.app-config/);
    assert.match(preview.out, /content changed \(sha256 [0-9a-f]{12}… → [0-9a-f]{12}…\)/);

    await commitJson(dir);
    assert.equal(await readFile(path.join(dir, 'out/app.conf'), 'utf8'), 'port = 2\n');
    const backups = (await readdir(path.join(dir, 'out'))).filter((name) => name !== 'app.conf');
    assert.equal(backups.length, 1);
    assert.match(backups[0] ?? '', /^app\.conf\.[0-9]{8}T[0-9]{6}Z~$/);
    assert.equal(await readFile(path.join(dir, 'out', backups[0] ?? ''), 'utf8'), 'port = 1\n');
    assert.equal((await commitJson(dir)).summary.done, 0);
  });

  test('a mode change alone makes no backup', async () => {
    const dir = await fixture({ 'steps.yaml': STEPS, 'files/app.conf': 'x\n' });
    await commitJson(dir);
    await writeFile(path.join(dir, 'steps.yaml'), STEPS.replace('0640', '0600'));
    assert.equal((await commitJson(dir)).summary.done, 1);
    assert.deepEqual(await readdir(path.join(dir, 'out')), ['app.conf']);
    assert.equal((await stat(path.join(dir, 'out/app.conf'))).mode & 0o7777, 0o600);
  });
});

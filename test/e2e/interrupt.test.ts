import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

const BIN = path.resolve(import.meta.dirname, '../../bin/runestone');

/** Spawns runestone and resolves with its exit code and output once it exits. */
function start(args: string[], cwd: string): { done: Promise<{ code: number | null; stdout: string; stderr: string }>; interrupt: () => void } {
  const child = spawn(BIN, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
  return { done, interrupt: () => child.kill('SIGINT') };
}

/** Resolves once `file` contains a JSON line of `kind` (the events stream is written as it happens). */
async function waitForEvent(file: string, kind: string, data?: (value: Record<string, unknown>) => boolean): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (existsSync(file)) {
      const found = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { kind: string; data: Record<string, unknown> })
        .some((event) => event.kind === kind && (data === undefined || data(event.data)));
      if (found) return;
    }
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail(`no ${kind} event in ${file}`);
}

const made: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

describe('runestone interrupts', () => {
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  test('Ctrl-C during commit lets running work finish, starts nothing new and reports it', async () => {
    const dir = tempDir('runestone-interrupt-');
    writeFileSync(
      path.join(dir, 'runestone.yaml'),
      [
        'project: interrupt',
        'resources:',
        '  - kind: host:command',
        '    name: slow',
        '    properties: { run: "sleep 1; echo done > slow.txt", creates: slow.txt }',
        '  - kind: host:file',
        '    name: after',
        '    depends_on: [host:command.slow]',
        '    properties: { path: after.txt, content: "x" }',
        '',
      ].join('\n'),
    );
    const events = path.join(dir, 'events.jsonl');
    const run = start(['commit', '--yes', '--events', events], dir);
    await waitForEvent(events, 'node.started', (data) => data['nodeId'] === 'host:command.slow');
    run.interrupt();
    const { code, stdout, stderr } = await run.done;
    assert.equal(code, 130, stdout + stderr);
    assert.match(stderr, /Interrupted: finishing running changes/);
    assert.equal(readFileSync(path.join(dir, 'slow.txt'), 'utf8'), 'done\n', 'the running command finished');
    assert.equal(existsSync(path.join(dir, 'after.txt')), false, 'nothing new started');
    assert.match(stdout, /Skipped host:file\.after/);
  });

  test('align --watch repeats passes until Ctrl-C, then exits 0', async () => {
    const dir = tempDir('runestone-watch-');
    writeFileSync(path.join(dir, 'runestone.yaml'), 'project: watch\nresources:\n  - kind: host:file\n    name: f\n    properties: { path: f.txt, content: "v1" }\n');
    const events = path.join(dir, 'events.jsonl');
    const run = start(['align', '--watch', '--interval', '50ms', '--events', events], dir);
    await waitForEvent(events, 'run.finished');
    writeFileSync(path.join(dir, 'f.txt'), 'drifted');
    // A later pass heals the drift made after the first one.
    await waitForEvent(events, 'node.finished', (data) => data['action'] === 'update' && data['status'] === 'done');
    run.interrupt();
    const { code, stdout } = await run.done;
    assert.equal(code, 0, stdout);
    assert.equal(readFileSync(path.join(dir, 'f.txt'), 'utf8'), 'v1');
    assert.ok((stdout.match(/Aligning desired state with reality/g) ?? []).length >= 2);
  });

  test('a reader that closes stdout early does not stop a commit half-way', async () => {
    const dir = tempDir('runestone-epipe-');
    const lines = ['project: epipe', 'resources:'];
    for (let i = 0; i < 30; i++) lines.push('  - kind: host:file', `    name: f${i}`, `    properties: { path: f${i}.txt, content: "${i}" }`);
    writeFileSync(path.join(dir, 'runestone.yaml'), `${lines.join('\n')}\n`);
    const child = spawn(BIN, ['commit', '--yes', '--graph'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    // Like `| head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    for (let i = 0; i < 30; i++) assert.equal(readFileSync(path.join(dir, `f${i}.txt`), 'utf8'), String(i));
  });
});

// Executing changes: failures skip dependents while other branches finish, --target and
// --parallelism, removals found through the snapshot cache, dismantle order, approval.
import assert from 'node:assert/strict';
import { access, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { readEvents, removeDir, runestone, stack, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

async function fixture(yaml: string): Promise<string> {
  const dir = await writeStack({ 'runestone.yaml': yaml });
  dirs.push(dir);
  return dir;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** root ← a ← b, and c on its own. */
const CHAIN = stack(
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
    '    depends_on: [host:file.a]',
    '    properties: { path: ./root/b.txt, content: "B\\n" }',
    '  - kind: host:file',
    '    name: c',
    '    properties: { path: ./c.txt, content: "C\\n" }',
    '',
  ].join('\n'),
);

describe('commit and dismantle', { concurrency: true }, () => {
  test('a failing command exits 3, skips its dependents and lets independent branches finish', async () => {
    const dir = await fixture(
      stack(
        [
          'resources:',
          '  - kind: host:command',
          '    name: boom',
          '    properties: { run: "exit 7" }',
          '  - kind: host:file',
          '    name: after',
          '    depends_on: [host:command.boom]',
          '    properties: { path: ./after.txt, content: x }',
          '  - kind: host:file',
          '    name: after-after',
          '    depends_on: [host:file.after]',
          '    properties: { path: ./after2.txt, content: x }',
          '  - kind: host:file',
          '    name: indep',
          '    properties: { path: ./indep.txt, content: ok }',
          '',
        ].join('\n'),
      ),
    );
    const r = await runestone(['commit', '--yes', '--events', 'events.jsonl'], { cwd: dir });
    assert.equal(r.code, 3, r.err);
    assert.match(r.out, /\n {2}✗ Failed host:command\.boom: Command "exit 7" exited with code 7\n {6}hint: /);
    assert.match(r.out, /\n {2}Skipped host:file\.after \(because host:command\.boom failed\)\n/);
    assert.match(r.out, /\n {2}Skipped host:file\.after-after \(because host:command\.boom failed\)\n/);
    assert.match(r.out, /\n {2}\+ Created host:file\.indep \(<t>\)\n/);
    assert.ok(
      r.out.endsWith(
        [
          'Commit failed (duration: <t>): 1 done, 1 failed, 2 skipped',
          '  Done:    host:file.indep',
          '  Failed:  host:command.boom',
          '  Skipped: host:file.after, host:file.after-after',
          '',
        ].join('\n'),
      ),
      r.out,
    );
    assert.equal(await readFile(path.join(dir, 'indep.txt'), 'utf8'), 'ok');
    assert.equal(await exists(path.join(dir, 'after.txt')), false);

    const events = await readEvents(path.join(dir, 'events.jsonl'));
    assert.equal(events[0]?.kind, 'run.started');
    assert.equal(events[1]?.kind, 'plan.built');
    assert.equal(events.at(-1)?.kind, 'run.finished');
    assert.ok(events.slice(2, -1).every((e) => e.kind.startsWith('node.')));
    assert.equal(events.at(-1)?.level, 'error');
    const status = Object.fromEntries(events.filter((e) => e.kind === 'node.finished').map((e): [string, string] => [e.data.nodeId ?? '', e.data.status ?? '']));
    assert.deepEqual(status, { 'host:command.boom': 'failed', 'host:file.after': 'skipped', 'host:file.after-after': 'skipped', 'host:file.indep': 'done' });
  });

  test('--target limits preview and commit to the target and what it needs', async () => {
    const dir = await fixture(CHAIN);
    const preview = await runestone(['preview', '--target', 'host:file.b'], { cwd: dir });
    assert.equal(preview.code, 0, preview.err);
    assert.match(preview.out, /\+ 3 new resources will be created/);
    assert.doesNotMatch(preview.out, /host:file\.c/);
    const commit = await runestone(['commit', '--yes', '--target', 'host:file.b', '--parallelism', '1'], { cwd: dir });
    assert.equal(commit.code, 0, commit.err);
    assert.deepEqual(
      [...commit.out.matchAll(/\+ Created (\S+)/g)].map((m) => m[1]),
      ['host:directory.root', 'host:file.a', 'host:file.b'],
    );
    assert.equal(await exists(path.join(dir, 'c.txt')), false);
    const unknown = await runestone(['preview', '--target', 'host:file.zz'], { cwd: dir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /error RS_ENGINE_E0006: Cannot target "host:file\.zz"/);
  });

  test('--parallelism is validated', async () => {
    const dir = await fixture(CHAIN);
    const ok = await runestone(['commit', '--yes', '--parallelism', '4'], { cwd: dir });
    assert.equal(ok.code, 0, ok.err);
    const bad = await runestone(['preview', '--parallelism', 'zero'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /error RS_CLI_E0002: /);
  });

  test('dismantle removes dependents first; --target removes the target and its dependents only', async () => {
    const dir = await fixture(CHAIN);
    assert.equal((await runestone(['commit', '--yes'], { cwd: dir })).code, 0);
    const targeted = await runestone(['dismantle', '--yes', '--target', 'host:file.a'], { cwd: dir });
    assert.equal(targeted.code, 0, targeted.err);
    assert.match(targeted.out, /^The following resources will be removed:\n {2}- host:file\.a\n {2}- host:file\.b\n\n/);
    assert.deepEqual((await readdir(path.join(dir, 'root'))).sort(), []);
    assert.equal(await exists(path.join(dir, 'c.txt')), true);

    assert.equal((await runestone(['commit', '--yes'], { cwd: dir })).code, 0);
    const all = await runestone(['dismantle', '--yes', '--parallelism', '1', '--events', 'd.jsonl'], { cwd: dir });
    assert.equal(all.code, 0, all.err);
    const order = (await readEvents(path.join(dir, 'd.jsonl'))).filter((e) => e.kind === 'node.finished').map((e) => e.data.nodeId);
    assert.ok(order.indexOf('host:file.b') < order.indexOf('host:file.a'), order.join(','));
    assert.ok(order.indexOf('host:file.a') < order.indexOf('host:directory.root'), order.join(','));
    assert.equal(await exists(path.join(dir, 'root')), false);
    assert.equal(await exists(path.join(dir, 'c.txt')), false);
    const nothing = await runestone(['dismantle', '--yes'], { cwd: dir });
    assert.equal(nothing.code, 0);
    assert.match(nothing.out, /^Nothing to remove\.\n/);
  });

  test('a resource dropped from config is removed by the next commit, found through the snapshot cache', async () => {
    const dir = await fixture(CHAIN);
    assert.equal((await runestone(['commit', '--yes'], { cwd: dir })).code, 0);
    await writeFile(path.join(dir, 'runestone.yaml'), CHAIN.slice(0, CHAIN.indexOf('  - kind: host:file\n    name: c')));
    const preview = await runestone(['preview'], { cwd: dir });
    assert.match(preview.out, /\n {2}- 1 resource will be removed\n {4}- host:file\.c\n/);
    const r = await runestone(['commit', '--yes'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\n {2}- Removed host:file\.c \(<t>\)\n/);
    assert.equal(await exists(path.join(dir, 'c.txt')), false);
    assert.match((await runestone(['preview'], { cwd: dir })).out, /No changes/);
  });

  test('deleting .runestone/cache.db changes no preview result for declared resources', async () => {
    const dir = await fixture(CHAIN);
    assert.equal((await runestone(['commit', '--yes'], { cwd: dir })).code, 0);
    await writeFile(path.join(dir, 'root/a.txt'), 'drift\n');
    const withCache = await runestone(['preview', '--output', 'json'], { cwd: dir });
    await rm(path.join(dir, '.runestone'), { recursive: true });
    const withoutCache = await runestone(['preview', '--output', 'json'], { cwd: dir });
    assert.equal(withoutCache.code, 0, withoutCache.err);
    assert.deepEqual(JSON.parse(withoutCache.stdout), JSON.parse(withCache.stdout));
    assert.equal(await exists(path.join(dir, '.runestone/cache.db')), true, 'the cache is rebuilt');
  });

  test('commit --graph draws the DAG with result markers', async () => {
    const dir = await fixture(CHAIN);
    const r = await runestone(['commit', '--yes', '--graph'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\| \[✓\] root +\|/);
    assert.match(r.out, /\| \[✓\] b +\|/);
    assert.match(r.out, /▼/);
  });

  test('align --auto-heal=false reports drift and changes nothing', async () => {
    const dir = await fixture(CHAIN);
    assert.equal((await runestone(['commit', '--yes'], { cwd: dir })).code, 0);
    await writeFile(path.join(dir, 'c.txt'), 'edited\n');
    const r = await runestone(['align', '--auto-heal=false'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Not healed host:file\.c: content changed/);
    assert.equal(await readFile(path.join(dir, 'c.txt'), 'utf8'), 'edited\n');
    const healed = await runestone(['align', '--target', 'host:file.c'], { cwd: dir });
    assert.equal(healed.code, 0, healed.err);
    assert.match(healed.out, /Infrastructure aligned \(1 drift issue resolved\)/);
    assert.equal(await readFile(path.join(dir, 'c.txt'), 'utf8'), 'C\n');
  });

  test('commit and dismantle without --yes and no terminal exit 2 with the --yes hint and change nothing', async () => {
    const dir = await fixture(CHAIN);
    const hint = /error RS_CLI_E0003: Cannot ask for approval: no terminal to ask on\nhint: Pass --yes to approve non-interactively\n/;
    const commit = await runestone(['commit'], { cwd: dir });
    assert.equal(commit.code, 2, commit.out);
    assert.match(commit.err, hint);
    assert.equal(await exists(path.join(dir, 'root')), false);
    assert.equal((await runestone(['commit', '--yes'], { cwd: dir })).code, 0);
    const dismantle = await runestone(['dismantle'], { cwd: dir });
    assert.equal(dismantle.code, 2, dismantle.out);
    assert.match(dismantle.err, hint);
    assert.equal(await readFile(path.join(dir, 'root/b.txt'), 'utf8'), 'B\n');
  });
});

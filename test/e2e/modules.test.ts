// Modules: a local directory module with validated inputs, and a git module fetched by
// bootstrap, pinned in runestone.lock, usable offline, and guarded against moved tags.
import assert from 'node:assert/strict';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { git } from '../helpers/git.ts';
import { removeDir, runestone, stack, tempDir, writeFiles, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

const MODULE = [
  'description: A directory with a config file',
  'inputs:',
  '  dir: { type: string }',
  '  port: { type: integer, minimum: 1, maximum: 65535 }',
  '  tls: { type: boolean, default: false }',
  'outputs:',
  '  config: { value: "${res.config.path}", schema: { type: string } }',
  'resources:',
  '  - kind: host:directory',
  '    name: site',
  '    properties: { path: "${inputs.dir}" }',
  '  - kind: host:file',
  '    name: config',
  '    properties:',
  '      path: ${res.site.path}/server.conf',
  '      content: "listen ${inputs.port} tls=${inputs.tls}\\n"',
  '',
].join('\n');

describe('local modules', { concurrency: true }, () => {
  test('instances expand with validated inputs, and their outputs are referenceable', async () => {
    const dir = await writeStack({
      'runestone.yaml': stack(
        [
          'modules:',
          '  web: { source: ./modules/web }',
          'resources:',
          '  - kind: module:web',
          '    name: ${key}',
          '    for_each: { a: 8001, b: 8002 }',
          '    inputs: { dir: "./sites/${key}", port: "${item}" }',
          '  - kind: host:link',
          '    name: current',
          '    properties: { path: ./current, target: "${res.a.config}" }',
          '',
        ].join('\n'),
      ),
      'modules/web/module.yaml': MODULE,
    });
    dirs.push(dir);
    const graph = await runestone(['graph'], { cwd: dir });
    assert.equal(graph.code, 0, graph.err);
    assert.match(graph.out, /module:web\.a/);
    assert.match(graph.out, /module:web\.b/);
    const r = await runestone(['commit', '--yes'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\+ Created module:web\.a\/host:file\.config/);
    assert.equal(await readFile(path.join(dir, 'sites/b/server.conf'), 'utf8'), 'listen 8002 tls=false\n');
    const link = await runestone(['preview'], { cwd: dir });
    assert.match(link.out, /No changes/);
    assert.ok((await stat(path.join(dir, 'current'))).isFile(), 'the link points at module a\'s config');
  });

  test('inputs are checked against the module schema: out of range and unknown keys', async () => {
    const dir = await writeStack({
      'runestone.yaml': stack('modules:\n  web: { source: ./modules/web }\nresources:\n  - kind: module:web\n    name: one\n    inputs: { dir: ./one, port: 70000, extra: 1 }\n'),
      'modules/web/module.yaml': MODULE,
    });
    dirs.push(dir);
    const r = await runestone(['validate'], { cwd: dir });
    assert.equal(r.code, 2);
    const codes = [...r.err.matchAll(/^(\S+): error (RS_\w+)/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    assert.deepEqual(codes, ['runestone.yaml:8:33 RS_CONFIG_E0004', 'runestone.yaml:8:40 RS_CONFIG_E0003']);
    assert.match(r.err, /70000/);
  });

  test('a kind: module:<name> that is not declared exits 2', async () => {
    const dir = await writeStack({ 'runestone.yaml': stack('resources:\n  - kind: module:nope\n    name: one\n') });
    dirs.push(dir);
    const r = await runestone(['validate'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /error RS_MODULE_E0001: /);
  });
});

interface LockedModule {
  readonly source: string;
  readonly version: string;
  readonly commit: string;
  readonly hash: string;
}

describe('git modules', () => {
  test('bootstrap fetches at the tag, pins commit and hash, later runs are offline, moved tags are refused', async () => {
    const root = await tempDir();
    dirs.push(root);
    const work = path.join(root, 'work');
    await writeFiles(work, { 'modules/web/module.yaml': MODULE, 'README.md': 'modules\n' });
    git(work, 'init', '-q');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'web module');
    git(work, 'tag', 'v1.0.0');
    const v1 = git(work, 'rev-parse', 'HEAD');
    const bare = path.join(root, 'repo.git');
    git(root, 'clone', '-q', '--bare', work, bare);

    const dir = path.join(root, 'stack');
    const source = `file://${bare}//modules/web`;
    await writeFiles(dir, {
      'runestone.yaml': stack(`modules:\n  web:\n    source: ${source}\n    version: v1.0.0\nresources:\n  - kind: module:web\n    name: one\n    inputs: { dir: ./one, port: 80 }\n`),
    });
    const run = (...args: string[]): ReturnType<typeof runestone> => runestone(args, { cwd: dir });
    const lockedWeb = async (): Promise<LockedModule> => {
      const lock = JSON.parse(await readFile(path.join(dir, 'runestone.lock'), 'utf8')) as { modules: { web: LockedModule } };
      return lock.modules.web;
    };

    const before = await run('preview');
    assert.equal(before.code, 2);
    assert.ok(before.err.startsWith(`runestone.yaml:5:13: error RS_MODULE_E0004: Module "web" (${source} v1.0.0) is not fetched`), before.err);
    assert.match(before.err, /hint: Run `runestone bootstrap` to fetch git modules and write runestone\.lock/);

    const boot = await run('bootstrap');
    assert.equal(boot.code, 0, boot.err);
    assert.match(boot.out, new RegExp(`✓ Module web \\(v1\\.0\\.0\\) pulled from ${source.replaceAll('.', '\\.')} \\(commit ${v1.slice(0, 12)}\\)`));
    assert.match(boot.out, /✓ Wrote runestone\.lock/);
    assert.match(boot.out, /✓ Provider host: host provider ready/);
    const locked = await lockedWeb();
    assert.equal(locked.commit, v1);
    assert.equal(locked.source, source);
    assert.equal(locked.version, 'v1.0.0');
    assert.match(locked.hash, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await readFile(path.join(dir, '.runestone/modules/web/module.yaml'), 'utf8'), MODULE);

    // Offline: the source repository is gone, yet preview and commit work from the lock.
    await rename(bare, `${bare}.away`);
    const offline = await run('preview');
    assert.equal(offline.code, 0, offline.err);
    assert.match(offline.out, /\+ module:web\.one\/host:file\.config/);
    assert.equal((await run('commit', '--yes')).code, 0);
    assert.equal(await readFile(path.join(dir, 'one/server.conf'), 'utf8'), 'listen 80 tls=false\n');
    assert.equal((await run('bootstrap')).code, 0, 'bootstrap with everything locked needs no network either');
    await rename(`${bare}.away`, bare);

    // Someone moves the tag: a fresh checkout (no .runestone) must refuse to bootstrap.
    await writeFile(path.join(work, 'modules/web/module.yaml'), `${MODULE}# v1.0.0, moved\n`);
    git(work, 'commit', '-q', '-am', 'moved');
    git(work, 'tag', '-f', 'v1.0.0');
    git(work, 'push', '-q', '-f', bare, 'HEAD:refs/heads/main', 'refs/tags/v1.0.0');
    const moved = git(work, 'rev-parse', 'HEAD');
    await removeDir(path.join(dir, '.runestone'));
    const refused = await run('bootstrap');
    assert.equal(refused.code, 2, refused.out);
    assert.ok(refused.err.startsWith('runestone.yaml:6:14: error RS_MODULE_E0006: Module "web" at "v1.0.0" changed since it was locked'), refused.err);
    assert.match(refused.err, /hint: .*runestone bootstrap --upgrade/);
    assert.equal((await lockedWeb()).commit, v1, 'the lock is unchanged');
    const stale = await run('preview');
    assert.equal(stale.code, 2, 'the moved content is not used either');
    assert.match(stale.err, /RS_MODULE_E0006/);

    const upgrade = await run('bootstrap', '--upgrade');
    assert.equal(upgrade.code, 0, upgrade.err);
    assert.equal((await lockedWeb()).commit, moved);
    assert.equal((await run('preview')).code, 0);
  });
});

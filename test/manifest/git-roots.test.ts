// `runestone manifest reconcile --roots GIT-URL`: a git root is cloned shallowly into
// ~/.cache/runestone/manifest-repos/<sha256 of the URL>, refreshed on later runs, read from the
// cache with --offline; findings show URL//path. Local bare repositories over file:// URLs.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, tempDir, type CliResult } from '../helpers/cli.ts';
import { git } from '../helpers/git.ts';

const head = (project: string, extra = ''): string => `apiVersion: infra/v1\nproject: ${project}\nprovider: digitalocean\n${extra}`;

describe('manifest reconcile with git URL roots', () => {
  let dir: string;
  let work: string;
  let url: string;
  const reconcile = (...args: string[]): Promise<CliResult> => runestone(['manifest', 'reconcile', ...args], { cwd: dir, env: { HOME: path.join(dir, 'home'), XDG_CACHE_HOME: '' } });
  const push = async (file: string, text: string): Promise<void> => {
    await mkdir(path.dirname(path.join(work, file)), { recursive: true });
    await writeFile(path.join(work, file), text);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', `write ${file}`);
    git(work, 'push', '-q', 'origin', 'HEAD');
  };

  before(async () => {
    dir = await tempDir('rs-git-roots-');
    const bare = path.join(dir, 'billing.git');
    git(dir, 'init', '-q', '--bare', '-b', 'main', bare);
    work = path.join(dir, 'work');
    git(dir, 'clone', '-q', bare, work);
    git(work, 'checkout', '-q', '-b', 'main');
    await push('svc/.infra.yaml', head('billing', 'service:\n  host: lime\n  port: 8080\ndepends_on: [ledger]\n'));
    url = `file://${bare}`;
  });
  after(() => removeDir(dir));

  test('clones the URL into the cache and shows findings as URL//path', async () => {
    const result = await reconcile('--roots', url);
    assert.equal(result.code, 2, result.err);
    assert.ok(result.stderr.includes(`${url}//svc/.infra.yaml:7:14: error RS_MANIFEST_E0001: [dangling_dependency]`), result.stderr);
    assert.ok(result.stderr.includes('> 7 | depends_on: [ledger]'), `a code frame from the cached clone:\n${result.stderr}`);
    const cached = path.join(dir, 'home/.cache/runestone/manifest-repos', createHash('sha256').update(url).digest('hex'));
    assert.ok(existsSync(path.join(cached, 'svc/.infra.yaml')), 'the clone is in the cache');
    assert.equal(git(cached, 'rev-parse', '--is-shallow-repository'), 'true');
  });

  test('a later run refreshes the cached clone; --offline reads the cache without fetching', async () => {
    await push('ledger/.infra.yaml', head('ledger', 'service:\n  host: lime\n  port: 8090\n'));
    const refreshed = await reconcile('--roots', url, '-o', 'json');
    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.equal((JSON.parse(refreshed.stdout) as { manifests: number }).manifests, 2);
    await push('search/.infra.yaml', head('search'));
    const offline = await reconcile('--roots', url, '--offline', '-o', 'json');
    assert.equal(offline.code, 0, offline.stderr);
    assert.equal((JSON.parse(offline.stdout) as { manifests: number }).manifests, 2, 'offline sees the cached copy, not the newest push');
    const online = await reconcile('--roots', url, '-o', 'json');
    assert.equal((JSON.parse(online.stdout) as { manifests: number }).manifests, 3);
  });

  test('manifest validate takes a git URL too', async () => {
    const result = await runestone(['manifest', 'validate', url, '--offline'], { cwd: dir, env: { HOME: path.join(dir, 'home'), XDG_CACHE_HOME: '' } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Manifests valid: \d files checked/);
  });

  test('--offline with a URL never cloned is a clear error naming the URL', async () => {
    const other = `file://${path.join(dir, 'never.git')}`;
    const result = await reconcile('--roots', other, '--offline');
    assert.equal(result.code, 2, result.err);
    assert.ok(result.stderr.includes(`error RS_MANIFEST_E0008: Cannot read git root "${other}" offline: it has not been cloned into the cache`), result.stderr);
  });

  test('a clone failure names the URL without its userinfo', async () => {
    const secretUrl = `file://runestone:s3cr3t-token@localhost${path.join(dir, 'missing.git')}`;
    const result = await reconcile('--roots', secretUrl);
    assert.equal(result.code, 2, result.err);
    assert.ok(result.stderr.includes(`error RS_MANIFEST_E0008: Cannot clone git root "file://localhost${path.join(dir, 'missing.git')}"`), result.stderr);
    assert.ok(!result.stderr.includes('s3cr3t-token'), 'the secret is never printed');
    const refused = await reconcile('--roots', 'https://runestone:s3cr3t-token@127.0.0.1:9/estate.git');
    assert.equal(refused.code, 2, refused.err);
    assert.ok(refused.stderr.includes('Cannot clone git root "https://127.0.0.1:9/estate.git"'), refused.stderr);
    assert.ok(!refused.stderr.includes('s3cr3t-token'), 'the secret is never printed');
  });
});

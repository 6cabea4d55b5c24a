// Host step actions beyond shell/command/file/template, through the real CLI: preview
// changes nothing and shows the change, commit applies it, a second commit changes nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { removeDir, runestone, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

async function fixture(files: Record<string, string>): Promise<string> {
  const dir = await writeStack(files);
  dirs.push(dir);
  return dir;
}

interface Route {
  readonly status: number;
  readonly body: string | Buffer;
  /** The first this many requests get a 503 instead. */
  readonly failures?: number;
  /** Never answer (the connection stays open until the server closes). */
  readonly hang?: boolean;
}

/** A real HTTP server on 127.0.0.1 answering from `routes`; `seen` records each request. */
async function httpServer(routes: Record<string, Route>, seen: string[] = []): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    seen.push(`${request.method ?? ''} ${request.url ?? ''} ${String(request.headers['x-token'] ?? '')}`.trim());
    const pathname = (request.url ?? '').split('?')[0] ?? '';
    const route = routes[pathname];
    if (route?.hang === true) return;
    const failed = seen.filter((line) => line.includes(` ${pathname}`)).length <= (route?.failures ?? 0);
    response.writeHead(route === undefined ? 404 : failed ? 503 : route.status);
    response.end(route === undefined ? 'not found' : failed ? 'busy' : route.body);
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

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

describe('assert', () => {
  test('a copy then assertions on it: commit passes, a second commit reports 0 changed', async () => {
    const { url } = await httpServer({ '/health': { status: 200, body: JSON.stringify({ status: 'ok', checks: [{ name: 'db', up: true }] }) } });
    const dir = await fixture({
      'files/app.conf': 'port = 1\n',
      'steps.yaml': [
        'steps:',
        '  - name: app config',
        '    copy: { src: files/app.conf, dest: ./out/app.conf, mode: "0640" }',
        '  - name: config is in place',
        `    assert: { file: { path: ./out/app.conf, mode: "0640", sha256: "${sha256('port = 1\n')}" } }`,
        '  - name: config says port 1',
        '    assert: { command: "cat out/app.conf", stdout_contains: "port = 1", stdout_regex: "^port = [0-9]+$" }',
        '  - name: grep finds it',
        '    assert: { command: [grep, -q, port, out/app.conf], rc: 0 }',
        '  - name: nothing left over',
        '    assert: { file: { path: ./out/stale, exists: false } }',
        '  - name: service healthy',
        `    assert: { http: { url: "${url}/health", status: 200, jsonpath: "checks[0].up", equals: true } }`,
      ].join('\n'),
    });
    const preview = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
    assert.equal(preview.code, 0, preview.err);
    // The file does not exist yet: the assertion shows what it found, to be checked again during commit.
    assert.match(preview.out, /does not hold yet: "<dir>\/out\/app\.conf": expected to exist, found nothing \(checked again during commit\)/);
    assert.doesNotMatch(preview.out, /host:assert\.service-healthy/, 'an assertion that holds is no change');

    await commitJson(dir);
    const again = await commitJson(dir);
    assert.equal(again.summary.done, 0);
    assert.deepEqual([again.summary.counts['create'], again.summary.counts['update']], [0, 0]);
  });

  const failing: readonly { readonly name: string; readonly files?: Record<string, string>; readonly mode?: number; readonly step: (url: string) => string; readonly message: RegExp }[] = [
    { name: 'file mode', files: { f: 'x' }, mode: 0o600, step: () => '{ file: { path: ./f, mode: "0644" } }', message: /"<dir>\/f": expected mode 0644, found 0600/ },
    { name: 'file sha256', files: { f: 'x' }, step: () => `{ file: { path: ./f, sha256: "${sha256('y')}" } }`, message: new RegExp(`expected sha256 ${sha256('y')}, found ${sha256('x')}`) },
    { name: 'file owner', files: { f: 'x' }, step: () => '{ file: { path: ./f, owner: no-such-owner } }', message: /expected owner no-such-owner, found [a-z_][a-z0-9_-]*/ },
    { name: 'command rc', step: () => '{ command: "echo boom >&2; exit 3" }', message: /command "echo boom >&2; exit 3": expected rc 0, found rc 3 \(stderr: boom\)/ },
    { name: 'stdout contains', step: () => '{ command: "echo hello", stdout_contains: bye }', message: /expected stdout to contain "bye", found "hello"/ },
    { name: 'stdout regex', step: () => '{ command: "echo v1.2", stdout_regex: "^v2" }', message: /expected stdout to match \/\^v2\/, found "v1\.2"/ },
    { name: 'http status', step: (url) => `{ http: { url: "${url}/missing" } }`, message: /GET http:\/\/127\.0\.0\.1:[0-9]+\/missing: expected status 200, found 404/ },
    { name: 'http JSON path', step: (url) => `{ http: { url: "${url}/health", jsonpath: "$.status", equals: "ok" } }`, message: /expected \$\.status to equal "ok", found "degraded"/ },
  ];
  for (const { name, files, mode, step, message } of failing) {
    test(`a failing ${name} assertion fails the commit with the exact mismatch and changes nothing`, async () => {
      const { url } = await httpServer({ '/health': { status: 200, body: '{"status":"degraded"}' } });
      const dir = await fixture({ ...files, 'steps.yaml': `- name: check\n  assert: ${step(url)}\n- name: after\n  file: { path: ./after, content: "" }\n` });
      if (mode !== undefined) await chmod(path.join(dir, 'f'), mode);
      const preview = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
      assert.equal(preview.code, 0, preview.err);
      assert.match(preview.out, /~ host:assert\.check/);
      assert.match(preview.out, message);
      const commit = await runestone(['commit', '-f', 'steps.yaml', '--yes'], { cwd: dir });
      assert.equal(commit.code, 3, commit.out + commit.err);
      assert.match(commit.out, /✗ Failed host:assert\.check: Assertion failed: /);
      assert.match(commit.out, message);
      const json = await runestone(['commit', '-f', 'steps.yaml', '--yes', '-o', 'json'], { cwd: dir });
      const results = (JSON.parse(json.stdout) as { results: { nodeId: string; error?: { code: string } }[] }).results;
      assert.equal(results.find((r) => r.nodeId === 'host:assert.check')?.error?.code, 'RS_HOST_E0038');
      await assert.rejects(stat(path.join(dir, 'after')), 'steps after a failed assertion do not run');
    });
  }
});

describe('download', () => {
  const ARTIFACT = Buffer.from('release 1.0\n'.repeat(1000));

  test('preview shows the download, commit fetches, verifies and writes it; a second commit does not fetch again', async () => {
    const seen: string[] = [];
    const { url } = await httpServer({ '/app.tar': { status: 200, body: ARTIFACT } }, seen);
    const dir = await fixture({
      'steps.yaml': `- name: fetch app\n  download: { url: "${url}/app.tar", dest: ./out/app.tar, sha256: "${sha256(ARTIFACT)}", mode: "0600", headers: { X-Token: t0k } }\n`,
    });
    const preview = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
    assert.equal(preview.code, 0, preview.err);
    assert.match(preview.out, /\+ host:download\.fetch-app/);
    assert.match(preview.out, /"X-Token": \(secret\)/);
    assert.doesNotMatch(preview.out, /t0k/, 'credential-like header values are redacted');
    assert.deepEqual(seen, [], 'preview does not download');
    await assert.rejects(stat(path.join(dir, 'out')));

    await commitJson(dir);
    assert.deepEqual(await readFile(path.join(dir, 'out/app.tar')), ARTIFACT);
    assert.equal((await stat(path.join(dir, 'out/app.tar'))).mode & 0o7777, 0o600);
    assert.deepEqual(seen, ['GET /app.tar t0k']);
    assert.deepEqual(await readdir(path.join(dir, 'out')), ['app.tar'], 'no temp file is left');

    assert.equal((await commitJson(dir)).summary.done, 0);
    assert.equal(seen.length, 1, 'the checksum matches: nothing is fetched');

    // A file changed on the host is fetched again.
    await writeFile(path.join(dir, 'out/app.tar'), 'tampered');
    const drift = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
    assert.match(drift.out, /content changed \(sha256 [0-9a-f]{12}… → [0-9a-f]{12}…\): download http:\/\/127\.0\.0\.1:[0-9]+\/app\.tar/);
    await commitJson(dir);
    assert.deepEqual(await readFile(path.join(dir, 'out/app.tar')), ARTIFACT);
    assert.equal(seen.length, 2);
  });

  test('a wrong checksum fails with RS_HOST_E0040 and writes nothing', async () => {
    const { url } = await httpServer({ '/app.tar': { status: 200, body: ARTIFACT } });
    const dir = await fixture({ 'steps.yaml': `- name: fetch\n  download: { url: "${url}/app.tar", dest: ./out/app.tar, sha256: "${sha256('other')}" }\n` });
    const commit = await runestone(['commit', '-f', 'steps.yaml', '--yes', '-o', 'json'], { cwd: dir });
    assert.equal(commit.code, 3);
    const error = (JSON.parse(commit.stdout) as { results: { error?: { code: string; message: string } }[] }).results[0]?.error;
    assert.equal(error?.code, 'RS_HOST_E0040');
    assert.match(error.message, new RegExp(`expected sha256 ${sha256('other')}, found ${sha256(ARTIFACT)}; nothing was written`));
    await assert.rejects(stat(path.join(dir, 'out')), 'nothing is written, not even the directory');
  });

  test('a server error is retried up to retries times', async () => {
    const seen: string[] = [];
    const { url } = await httpServer({ '/flaky': { status: 200, body: 'ok\n', failures: 2 } }, seen);
    const dir = await fixture({ 'steps.yaml': `- name: fetch\n  download: { url: "${url}/flaky", dest: ./flaky, retries: 2, retry_delay: 0s }\n` });
    await commitJson(dir);
    assert.equal(await readFile(path.join(dir, 'flaky'), 'utf8'), 'ok\n');
    assert.equal(seen.length, 3);
    // Without a sha256, an existing file is not fetched again.
    assert.equal((await commitJson(dir)).summary.done, 0);
    assert.equal(seen.length, 3);
  });

  test('out of retries, and on a timeout, the step fails with RS_HOST_E0039', async () => {
    const { url } = await httpServer({ '/down': { status: 200, body: '', failures: 99 }, '/hang': { status: 200, body: '', hang: true } });
    const dir = await fixture({
      'steps.yaml': [
        'steps:',
        `  - { name: down, download: { url: "${url}/down?token=secret", dest: ./down, retries: 1, retry_delay: 0s } }`,
      ].join('\n'),
    });
    const commit = await runestone(['commit', '-f', 'steps.yaml', '--yes'], { cwd: dir });
    assert.equal(commit.code, 3);
    assert.match(commit.out, /Cannot download http:\/\/127\.0\.0\.1:[0-9]+\/down\?…: HTTP 503 Service Unavailable \(after 2 attempts\)/);
    assert.doesNotMatch(commit.out + commit.err, /token=secret/, 'the query string is never printed');

    await writeFile(path.join(dir, 'steps.yaml'), `- { name: hang, download: { url: "${url}/hang", dest: ./hang, timeout: 1s, retries: 0 } }\n`);
    const hung = await runestone(['commit', '-f', 'steps.yaml', '--yes', '-o', 'json'], { cwd: dir });
    assert.equal(hung.code, 3);
    const error = (JSON.parse(hung.stdout) as { results: { error?: { code: string; message: string } }[] }).results[0]?.error;
    assert.equal(error?.code, 'RS_HOST_E0039');
    assert.match(error.message, /no complete answer within 1s/);
  });
});

describe('unarchive', () => {
  const tar = promisify(execFile);

  /** Packs `files` (under a top directory `app-1.0/`) into dir/name with the real tar. */
  async function pack(dir: string, name: string, files: Record<string, string>): Promise<Buffer> {
    const work = path.join(dir, 'pack');
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(work, 'app-1.0', file)), { recursive: true });
      await writeFile(path.join(work, 'app-1.0', file), content);
    }
    await tar('tar', [name.endsWith('.tar') ? '-cf' : '-czf', path.join(dir, name), '-C', work, 'app-1.0']);
    await rm(work, { recursive: true });
    return readFile(path.join(dir, name));
  }

  test('a downloaded .tar.gz is extracted with strip_components; a second commit changes nothing', async () => {
    const dir = await fixture({});
    const archive = await pack(dir, 'served.tar.gz', { 'bin/app': '#!/bin/sh\n', 'README': 'hi\n' });
    const { url } = await httpServer({ '/app.tgz': { status: 200, body: archive } });
    await writeFile(
      path.join(dir, 'steps.yaml'),
      [
        'steps:',
        `  - { name: fetch, download: { url: "${url}/app.tgz", dest: ./dl/app.tgz, sha256: "${sha256(archive)}" } }`,
        '  - { name: extract, unarchive: { src: ./dl/app.tgz, dest: ./opt/app, strip_components: 1 } }',
      ].join('\n'),
    );
    const preview = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
    assert.equal(preview.code, 0, preview.err);
    assert.match(preview.out, /\+ host:download\.fetch/);
    assert.match(preview.out, /\+ host:unarchive\.extract/);

    await commitJson(dir);
    assert.equal(await readFile(path.join(dir, 'opt/app/bin/app'), 'utf8'), '#!/bin/sh\n');
    assert.equal(await readFile(path.join(dir, 'opt/app/README'), 'utf8'), 'hi\n');
    assert.equal((await commitJson(dir)).summary.done, 0);

    // An entry gone from dest makes the archive pending again.
    await rm(path.join(dir, 'opt/app/README'));
    assert.equal((await commitJson(dir)).summary.done, 1);
    assert.equal(await readFile(path.join(dir, 'opt/app/README'), 'utf8'), 'hi\n');
  });

  test('a .tar with creates is done once creates exists', async () => {
    const dir = await fixture({ 'steps.yaml': '- { name: extract, unarchive: { src: ./app.tar, dest: ./out, creates: ./out/app-1.0/VERSION } }\n' });
    await pack(dir, 'app.tar', { VERSION: '1.0\n', 'lib/a': 'a' });
    await commitJson(dir);
    assert.equal(await readFile(path.join(dir, 'out/app-1.0/VERSION'), 'utf8'), '1.0\n');
    await rm(path.join(dir, 'out/app-1.0/lib'), { recursive: true });
    assert.equal((await commitJson(dir)).summary.done, 0, 'creates exists: nothing to do');
  });

  test('entries escaping dest are refused before anything is extracted', async () => {
    const dir = await fixture({ 'steps.yaml': '- { name: extract, unarchive: { src: ./evil.tar, dest: ./out } }\n' });
    await mkdir(path.join(dir, 'src/inner'), { recursive: true });
    await writeFile(path.join(dir, 'src/escape.txt'), 'x');
    await writeFile(path.join(dir, 'src/inner/ok.txt'), 'ok');
    // -P keeps the "../" in the member name.
    await tar('tar', ['-cPf', path.join(dir, 'evil.tar'), 'ok.txt', '../escape.txt'], { cwd: path.join(dir, 'src/inner') });
    const preview = await runestone(['preview', '-f', 'steps.yaml', '-o', 'json'], { cwd: dir });
    assert.notEqual(preview.code, 0);
    assert.match(preview.stdout + preview.stderr, /RS_HOST_E0042/);
    assert.match(preview.out + preview.err, /Refusing to extract "<dir>\/evil\.tar": entry "\.\.\/escape\.txt" would be written outside "<dir>\/out"/);
    const commit = await runestone(['commit', '-f', 'steps.yaml', '--yes'], { cwd: dir });
    assert.notEqual(commit.code, 0);
    await assert.rejects(stat(path.join(dir, 'out')), 'nothing was extracted');
  });

  test('a link pointing outside the archive is refused', async () => {
    const dir = await fixture({ 'steps.yaml': '- { name: extract, unarchive: { src: ./links.tar, dest: ./out } }\n' });
    await mkdir(path.join(dir, 'src'));
    await symlink('/etc', path.join(dir, 'src/etc'));
    await tar('tar', ['-cf', path.join(dir, 'links.tar'), '-C', path.join(dir, 'src'), 'etc']);
    const commit = await runestone(['commit', '-f', 'steps.yaml', '--yes'], { cwd: dir });
    assert.notEqual(commit.code, 0);
    assert.match(commit.out + commit.err, /Refusing to extract "<dir>\/links\.tar": link "etc" points outside the archive \(\/etc\)/);
    await assert.rejects(stat(path.join(dir, 'out')));
  });
});

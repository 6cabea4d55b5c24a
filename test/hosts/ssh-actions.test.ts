// copy, download, unarchive and assert steps over SSH (`--on`): the same kinds, through the
// SSH transport, against a real sshd; the system ssh client checks what landed on the host.
// Needs `bash scripts/test-env/sshd.sh install` (npm test's pretest runs it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { removeDir, runestone, writeStack } from '../helpers/cli.ts';
import { startSshd, type Sshd } from '../helpers/sshd.ts';

let web1: Sshd;
let dir: string;
let target: string;
const server = createServer((request, response) => {
  if (request.url === '/app.tar.gz') {
    response.writeHead(200);
    response.end(archive);
  } else {
    response.writeHead(404);
    response.end();
  }
});
let archive: Buffer;

before(async () => {
  web1 = await startSshd();
  target = await mkdtemp(path.join(tmpdir(), 'rs-ssh-actions-'));
  const work = await mkdtemp(path.join(tmpdir(), 'rs-ssh-pack-'));
  await mkdir(path.join(work, 'app-2.0/bin'), { recursive: true });
  await writeFile(path.join(work, 'app-2.0/bin/app'), 'v2\n');
  await promisify(execFile)('tar', ['-czf', path.join(work, 'app.tar.gz'), '-C', work, 'app-2.0']);
  archive = await readFile(path.join(work, 'app.tar.gz'));
  await rm(work, { recursive: true });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await writeStack({
    'files/app.conf': 'port = 2\n',
    'steps.yaml': [
      'steps:',
      '  - name: config',
      `    copy: { src: files/app.conf, dest: ${target}/etc/app.conf, mode: "0640", backup: true }`,
      '  - name: fetch',
      `    download: { url: "${url}/app.tar.gz", dest: ${target}/dl/app.tar.gz, sha256: "${createHash('sha256').update(archive).digest('hex')}" }`,
      '  - name: extract',
      `    unarchive: { src: ${target}/dl/app.tar.gz, dest: ${target}/opt/app, strip_components: 1 }`,
      '  - name: config mode',
      `    assert: { file: { path: ${target}/etc/app.conf, mode: "0640" } }`,
      '  - name: app version',
      `    assert: { command: "cat ${target}/opt/app/bin/app", stdout_contains: v2 }`,
      '',
    ].join('\n'),
  });
  await writeFile(path.join(dir, 'known_hosts'), await readFile(web1.knownHostsPath, 'utf8'));
  await writeFile(
    path.join(dir, 'inventory.yaml'),
    `ssh: { known_hosts: ${path.join(dir, 'known_hosts')} }\nhosts:\n  - { name: web1, address: 127.0.0.1, port: ${web1.port}, key: ${web1.keyPath} }\n`,
  );
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await web1.stop();
  await removeDir(dir);
  await rm(target, { recursive: true, force: true });
});

describe('copy, download, unarchive and assert --on an SSH host', () => {
  test('land on the host; a second commit changes nothing', async () => {
    const args = ['-f', 'steps.yaml', '-i', 'inventory.yaml', '--on', 'web1'];
    const r = await runestone(['commit', ...args, '--yes'], { cwd: dir });
    assert.equal(r.code, 0, r.out + r.err);
    assert.deepEqual(await web1.ssh(`stat -c %a ${target}/etc/app.conf; cat ${target}/etc/app.conf ${target}/opt/app/bin/app`), { code: 0, stdout: '640\nport = 2\nv2\n', stderr: '' });

    const again = await runestone(['commit', ...args, '--yes', '-o', 'json'], { cwd: dir });
    assert.equal(again.code, 0, again.out + again.err);
    assert.equal((JSON.parse(again.stdout) as { summary: { done: number } }).summary.done, 0);

    // A changed source is copied again over SFTP, keeping the old file as a backup.
    await writeFile(path.join(dir, 'files/app.conf'), 'port = 3\n');
    const changed = await runestone(['commit', ...args, '--yes'], { cwd: dir });
    assert.equal(changed.code, 0, changed.out + changed.err);
    const listing = await web1.ssh(`cd ${target}/etc && ls && cat app.conf.*~`);
    assert.match(listing.stdout, /^app\.conf\napp\.conf\.[0-9]{8}T[0-9]{6}Z~\nport = 2\n$/);
  });
});

// `--on` over SSH, end to end: the real CLI commits a stack's host resources on two real
// sshd hosts (loopback ports) and the SYSTEM ssh client checks the result on each host.
// Both daemons serve this machine's file system, so both hosts see the same paths; what
// proves both were targeted is one node per host in the output and each host's own SSH
// check. Needs `bash scripts/test-env/sshd.sh install` (npm test's pretest runs it).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, stack, writeStack } from '../helpers/cli.ts';
import { startSshd, type Sshd } from '../helpers/sshd.ts';
import { freePort as closedPort } from '../helpers/process.ts';

let web1: Sshd;
let web2: Sshd;
let dir: string;
let target: string;

function inventory(extra = ''): string {
  return [
    `ssh: { known_hosts: ${path.join(dir, 'known_hosts')} }`,
    'hosts:',
    `  - { name: web1, address: 127.0.0.1, port: ${web1.port}, key: ${web1.keyPath}, labels: { role: web } }`,
    `  - { name: web2, address: 127.0.0.1, port: ${web2.port}, key: ${web2.keyPath}, labels: { role: web } }`,
    extra,
    'groups: { web: [web1, web2] }',
    '',
  ].join('\n');
}

before(async () => {
  [web1, web2] = await Promise.all([startSshd(), startSshd()]);
  target = await mkdtemp(path.join(tmpdir(), 'rs-ssh-target-'));
  dir = await writeStack({
    'runestone.yaml': stack(
      [
        'resources:',
        '  - kind: host:directory',
        '    name: app',
        `    properties: { path: ${target}/app, mode: "0750" }`,
        '  - kind: host:file',
        '    name: motd',
        '    depends_on: [host:directory.app]',
        `    properties: { path: ${target}/app/motd, content: "hello from runestone\\n", mode: "0640" }`,
        '',
      ].join('\n'),
    ),
  });
  await writeFile(path.join(dir, 'known_hosts'), (await readFile(web1.knownHostsPath, 'utf8')) + (await readFile(web2.knownHostsPath, 'utf8')));
  await writeFile(path.join(dir, 'inventory.yaml'), inventory());
});
after(async () => {
  await Promise.all([web1.stop(), web2.stop()]);
  await removeDir(dir);
  await rm(target, { recursive: true, force: true });
});

describe('runestone commit --on (SSH hosts)', () => {
  test('runs the host resources on each host, checked with the system ssh client', async () => {
    const r = await runestone(['commit', '-i', 'inventory.yaml', '--on', 'web1,web2', '--yes'], { cwd: dir });
    assert.equal(r.code, 0, r.out + r.err);
    for (const host of ['web1', 'web2']) {
      assert.match(r.out, new RegExp(`host:file\\.motd@${host}`));
      assert.match(r.out, new RegExp(`host:directory\\.app@${host}`));
    }
    assert.match(r.out, /\nHosts:\n {2}web1 {2}ok: 2 done\n {2}web2 {2}ok: 2 done\n/);
    for (const server of [web1, web2]) {
      assert.deepEqual(await server.ssh(`stat -c %a ${target}/app ${target}/app/motd; cat ${target}/app/motd`), {
        code: 0,
        stdout: '750\n640\nhello from runestone\n',
        stderr: '',
      });
    }
    const again = await runestone(['preview', '-i', 'inventory.yaml', '--on', 'group:web', '--detect-changes'], { cwd: dir });
    assert.equal(again.code, 0, again.out + again.err);
  });

  test('an unreachable host is reported and left out while the others are done', async () => {
    const dead = await closedPort();
    await writeFile(path.join(dir, 'inventory.yaml'), inventory(`  - { name: web3, address: 127.0.0.1, port: ${dead}, key: ${web1.keyPath}, labels: { role: web } }`));
    await web1.ssh(`rm -rf ${target}/app`);
    const r = await runestone(['commit', '-i', 'inventory.yaml', '--on', 'role=web', '--yes'], { cwd: dir });
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(r.err, /error RS_HOST_E0030: Cannot connect to "web3"/);
    assert.match(r.err, /host "web3" is left out of this run/);
    assert.doesNotMatch(r.out, /@web3/);
    assert.match(r.out, /\n {2}web3 {2}unreachable: RS_HOST_E0030\n/);
    assert.equal((await web1.ssh(`cat ${target}/app/motd`)).stdout, 'hello from runestone\n');
  });

  test('an unknown host key stops that host with RS_HOST_E0031', async () => {
    await writeFile(path.join(dir, 'inventory.yaml'), inventory().replace(path.join(dir, 'known_hosts'), path.join(dir, 'empty_known_hosts')));
    const r = await runestone(['preview', '-i', 'inventory.yaml', '--on', 'web2'], { cwd: dir });
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(r.err, /error RS_HOST_E0031: Cannot trust "web2"/);
  });

  test('an unknown target is a usage error with a suggestion', async () => {
    const r = await runestone(['preview', '-i', 'inventory.yaml', '--on', 'web9'], { cwd: dir });
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /RS_HOST_E0037/);
  });
});

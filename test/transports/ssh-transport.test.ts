// The SSH transport against real OpenSSH sshd daemons on loopback ports: the shared
// transport behaviour, plus what only SSH has (host keys, authentication, reachability,
// one reused connection). Needs `bash scripts/test-env/sshd.sh install`.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ProviderError } from '../../src/core/index.ts';
import { createSshTransport, type SshTarget, type SshTransport } from '../../src/transports/index.ts';
import { describeTransportBehaviour } from '../../src/transports/testing/transport-behaviour.ts';
import { startSshd, type Sshd } from '../helpers/sshd.ts';
import { freePort as closedPort } from '../helpers/process.ts';

const run = promisify(execFile);
let sshd: Sshd;
const opened: SshTransport[] = [];

function targetFor(server: Sshd, extra: Partial<SshTarget> = {}): SshTarget {
  return { name: 'web1', address: server.address, port: server.port, user: server.user, keyPath: server.keyPath, knownHostsPath: server.knownHostsPath, ...extra };
}

function open(target: SshTarget): SshTransport {
  const transport = createSshTransport(target);
  opened.push(transport);
  return transport;
}

function hasCode(code: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  };
}

before(async () => {
  sshd = await startSshd();
});
after(async () => {
  await Promise.all(opened.map((t) => t.close()));
  await sshd.stop();
});

describeTransportBehaviour('ssh transport', () => Promise.resolve(open(targetFor(sshd))));

describe('ssh transport connection', () => {
  it('reuses one connection for every call, also concurrent ones', async () => {
    const transport = open(targetFor(sshd));
    const results = await Promise.all(Array.from({ length: 20 }, () => transport.exec({ kind: 'shell', script: 'echo "$SSH_CONNECTION"' }, {})));
    const clientPorts = new Set(results.map((r) => r.stdout.split(' ')[1]));
    assert.equal(clientPorts.size, 1);
    assert.equal((await transport.stat('/'))?.type, 'directory');
  });

  it('writes files the system ssh client sees with the same content and mode', async () => {
    const transport = open(targetFor(sshd));
    const file = path.join(sshd.dir, 'seen-by-ssh', 'motd');
    await transport.writeFileAtomic(file, new TextEncoder().encode('hello over sftp\n'), { mode: 0o640 });
    assert.deepEqual(await sshd.ssh(`stat -c %a ${file}; cat ${file}`), { code: 0, stdout: '640\nhello over sftp\n', stderr: '' });
  });

  it('refuses a host key that known_hosts does not list, with RS_HOST_E0031', async () => {
    const empty = path.join(sshd.dir, 'empty_known_hosts');
    await writeFile(empty, '');
    await assert.rejects(open(targetFor(sshd, { knownHostsPath: empty })).info(), hasCode('RS_HOST_E0031'));
  });

  it('refuses a changed host key with RS_HOST_E0032, even with trust on first use', async () => {
    const other = await startSshd();
    try {
      const wrong = path.join(sshd.dir, 'wrong_known_hosts');
      await writeFile(wrong, `[127.0.0.1]:${sshd.port} ${other.hostPublicKey}\n`);
      await assert.rejects(open(targetFor(sshd, { knownHostsPath: wrong, trustOnFirstUse: true })).info(), hasCode('RS_HOST_E0032'));
    } finally {
      await other.stop();
    }
  });

  it('records an unknown host key when trust on first use is on', async () => {
    const fresh = path.join(sshd.dir, 'tofu', 'known_hosts');
    const info = await open(targetFor(sshd, { knownHostsPath: fresh, trustOnFirstUse: true })).info();
    assert.equal(info.user, sshd.user);
    assert.equal(await readFile(fresh, 'utf8'), `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    // The recorded key is trusted by a later strict connection.
    assert.equal((await open(targetFor(sshd, { knownHostsPath: fresh })).info()).user, sshd.user);
  });

  it('appends a first-use key on its own line after a last line without a newline', async () => {
    const file = path.join(sshd.dir, 'no_newline_known_hosts');
    await writeFile(file, 'other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxm');
    await open(targetFor(sshd, { knownHostsPath: file, trustOnFirstUse: true })).info();
    assert.equal(await readFile(file, 'utf8'), `other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxm\n[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
  });

  it('fails authentication with a key the host does not accept, with RS_HOST_E0033', async () => {
    const other = await startSshd();
    try {
      await assert.rejects(open(targetFor(sshd, { keyPath: other.keyPath })).info(), hasCode('RS_HOST_E0033'));
    } finally {
      await other.stop();
    }
  });

  it('logs in with a key held by a real ssh-agent (SSH_AUTH_SOCK)', async () => {
    const socket = path.join(sshd.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      await waitForFile(socket);
      await run('ssh-add', [sshd.keyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      const viaAgent: SshTarget = { name: 'web1', address: sshd.address, port: sshd.port, user: sshd.user, agentSocket: socket, knownHostsPath: sshd.knownHostsPath };
      assert.equal((await open(viaAgent).exec({ kind: 'argv', argv: ['echo', 'agent'] }, {})).stdout, 'agent\n');
    } finally {
      agent.kill();
    }
  });

  it('says RS_HOST_E0035 when there is neither a key nor an agent', async () => {
    const noKey: SshTarget = { name: 'web1', address: sshd.address, port: sshd.port, user: sshd.user, knownHostsPath: sshd.knownHostsPath };
    await assert.rejects(open(noKey).info(), hasCode('RS_HOST_E0035'));
  });

  it('reports an unreachable host with RS_HOST_E0030 and keeps failing fast, while other hosts work', async () => {
    const port = await closedPort();
    const dead = open({ ...targetFor(sshd), name: 'dead', port });
    await assert.rejects(dead.exec({ kind: 'shell', script: 'true' }, {}), hasCode('RS_HOST_E0030'));
    await assert.rejects(dead.stat('/'), hasCode('RS_HOST_E0030'));
    const alive = open(targetFor(sshd));
    assert.equal((await alive.exec({ kind: 'shell', script: 'echo up' }, {})).stdout, 'up\n');
  });
});

async function waitForFile(file: string): Promise<void> {
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!existsSync(file)) throw new Error(`ssh-agent did not create ${file}; run \`bash scripts/test-env/sshd.sh install\``);
}

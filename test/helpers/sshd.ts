// Starts real OpenSSH `sshd` daemons on loopback ports for tests: one daemon = one host.
// Each gets its own generated ed25519 host key, user key, authorized_keys and known_hosts in
// a temp dir. Never installs anything: a missing sshd fails with the setup command.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort, stopChild } from './process.ts';

const SSHD = '/usr/sbin/sshd';
const SETUP = 'bash scripts/test-env/sshd.sh install';

/** What the system `ssh` client printed. */
export interface SshResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running sshd and what a client needs to reach it. */
export interface Sshd {
  readonly address: '127.0.0.1';
  readonly port: number;
  /** The user the keys log in as (the user running the tests). */
  readonly user: string;
  /** Temp dir holding keys and config; removed by `stop()`. */
  readonly dir: string;
  /** Private user key (OpenSSH format, no passphrase). */
  readonly keyPath: string;
  /** A known_hosts file that lists this daemon's host key (`[127.0.0.1]:PORT ssh-ed25519 ...`). */
  readonly knownHostsPath: string;
  /** The host key line, `ssh-ed25519 AAAA...`. */
  readonly hostPublicKey: string;
  /** Runs `cmd` on the host with the SYSTEM ssh client (strict host key checking); never rejects on a non-zero exit. */
  ssh(cmd: string): Promise<SshResult>;
  /** What sshd printed on stderr so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Options for {@link startSshd}. */
export interface SshdOptions {
  /** Extra `sshd_config` lines (e.g. `MaxSessions 4`). */
  readonly config?: readonly string[];
}

/** Starts sshd on a free loopback port and waits until it answers with its banner. */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  if (!existsSync(SSHD)) throw new Error(`OpenSSH sshd is not installed (${SSHD} missing): run \`${SETUP}\` (npm test's pretest does)`);
  // sshd refuses to start without its privilege separation directory (gone after a reboot).
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(path.join(tmpdir(), 'runestone-sshd-'));
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  const keyPath = path.join(dir, 'id_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'runestone-test-host', '-f', hostKey]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'runestone-test-user', '-f', keyPath]);
  await writeFile(path.join(dir, 'authorized_keys'), await readFile(`${keyPath}.pub`), { mode: 0o600 });
  const hostPublicKey = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
  const port = await freePort();
  const knownHostsPath = path.join(dir, 'known_hosts');
  await writeFile(knownHostsPath, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
  const configPath = path.join(dir, 'sshd_config');
  await writeFile(
    configPath,
    [
      // sshd keeps the first value it reads for a keyword, so the caller's lines go first.
      ...(options.config ?? []),
      `ListenAddress 127.0.0.1`,
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'AuthenticationMethods publickey',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${userInfo().username}`,
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  // sshd must be started by absolute path; -D keeps it in the foreground, -e logs to stderr.
  const child = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  await waitForBanner(port, child, () => log);
  const user = userInfo().username;
  const clientArgs = [
    '-i', keyPath,
    '-p', String(port),
    '-o', `UserKnownHostsFile=${knownHostsPath}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'LogLevel=ERROR',
    `${user}@127.0.0.1`,
  ];
  return {
    address: '127.0.0.1',
    port,
    user,
    dir,
    keyPath,
    knownHostsPath,
    hostPublicKey,
    ssh: (cmd) =>
      new Promise((resolve) => {
        execFile('ssh', [...clientArgs, cmd], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
          resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 255, stdout, stderr });
        });
      }),
    log: () => log,
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function run(file: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], (error, _stdout, stderr) => {
      if (error === null) resolve();
      else reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || error.message}; run \`${SETUP}\``));
    });
  });
}

// Polls until the daemon sends its "SSH-2.0-" banner, for at most ~20 s; fails at once if it died.
async function waitForBanner(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited with code ${child.exitCode} before answering: ${log()}`);
    if (await hasBanner(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`sshd did not answer on 127.0.0.1:${port}: ${log()}`);
}

function hasBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('data', (chunk: Buffer) => {
      socket.destroy();
      resolve(chunk.toString().startsWith('SSH-'));
    });
    socket.once('error', () => {
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

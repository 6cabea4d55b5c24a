// Starts a real, throwaway PostgreSQL cluster for a test file: initdb into a temp dir, a
// free loopback port, the unix socket in the same temp dir. Uses the Debian server binaries
// that `bash scripts/test-env/postgres.sh install` provides; never installs, and a missing
// binary fails loudly with that command.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './process.ts';

const SETUP = 'bash scripts/test-env/postgres.sh install';
/** The superuser of every test cluster. */
export const ADMIN_USER = 'runestone_admin';

/** A running test cluster. */
export interface Postgres {
  readonly host: string;
  readonly port: number;
  /** Directory holding the unix socket (`.s.PGSQL.<port>`). */
  readonly socketDir: string;
  readonly adminUser: string;
  /** The superuser's password (password auth over TCP, as on a managed cluster). */
  readonly adminPassword: string;
  /** With `tls: true`: the self-signed certificate (for 127.0.0.1 and localhost) clients trust. */
  readonly caFile?: string;
  /** Runs SQL with psql over TCP (`-X -A -t`, stop on error); rejects with psql's stderr. */
  psql(sql: string, options?: { readonly user?: string; readonly password?: string; readonly database?: string }): Promise<string>;
  /** Runs SQL and returns the `|`-separated rows, trimmed. */
  rows(sql: string, options?: { readonly database?: string }): Promise<string[][]>;
  stop(): Promise<void>;
}

/** The newest `/usr/lib/postgresql/<v>/bin` with initdb and postgres, or `undefined`. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  return newest === undefined ? undefined : path.join(root, newest, 'bin');
}

function findPsql(bin: string): string {
  if (existsSync(path.join(bin, 'psql'))) return path.join(bin, 'psql');
  throw new Error(`psql is missing from ${bin}: run \`${SETUP}\``);
}

// PostgreSQL refuses to run as root: as root, the server runs as the "postgres" user that
// the Debian package creates.
function serverUser(): { readonly uid: number; readonly gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`Running as root and there is no "postgres" user to run the server: run \`${SETUP}\``);
  return { uid: Number(uid), gid: Number(gid) };
}

function run(file: string, args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv; readonly uid?: number; readonly gid?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { env: options.env ?? process.env, ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }), maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`${path.basename(file)} failed: ${stderr.trim() || error.message}`));
    });
  });
}

/**
 * Starts a cluster on a free port and waits until it accepts connections. With `tls: true`
 * the server also speaks TLS with a self-signed certificate made by `openssl` for 127.0.0.1.
 */
export async function startPostgres(options: { readonly tls?: boolean } = {}): Promise<Postgres> {
  const bin = findPostgresBin();
  if (bin === undefined) throw new Error(`PostgreSQL server binaries (initdb, postgres) not found under /usr/lib/postgresql/*/bin: run \`${SETUP}\``);
  const psqlBin = findPsql(bin);
  const owner = serverUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rs-postgres-'));
  const data = path.join(dir, 'data');
  const adminPassword = `pw-${Math.random().toString(36).slice(2)}`;
  writeFileSync(path.join(dir, 'pwfile'), `${adminPassword}\n`);
  if (owner !== undefined) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(path.join(dir, 'pwfile'), owner.uid, owner.gid);
  }
  const asOwner = owner === undefined ? {} : { uid: owner.uid, gid: owner.gid };
  const env = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
  // Password auth everywhere (scram), like a managed cluster; the socket stays in the temp dir.
  await run(path.join(bin, 'initdb'), ['-D', data, '-U', ADMIN_USER, `--pwfile=${path.join(dir, 'pwfile')}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], { env, ...asOwner });
  const port = await freePort();
  const tlsArgs: string[] = [];
  let caFile: string | undefined;
  if (options.tls === true) {
    caFile = path.join(dir, 'server.crt');
    const keyFile = path.join(dir, 'server.key');
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', caFile]);
    // PostgreSQL refuses a key others can read, or one it does not own.
    chmodSync(keyFile, 0o600);
    if (owner !== undefined) {
      chownSync(keyFile, owner.uid, owner.gid);
      chownSync(caFile, owner.uid, owner.gid);
    }
    tlsArgs.push('-c', 'ssl=on', '-c', `ssl_cert_file=${caFile}`, '-c', `ssl_key_file=${keyFile}`);
  }
  const child: ChildProcess = spawn(
    path.join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', ...tlsArgs],
    { env, stdio: ['ignore', 'ignore', 'pipe'], ...asOwner },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = `${log}${chunk.toString()}`.slice(-4000);
  });
  const psql = (sql: string, options: { readonly user?: string; readonly password?: string; readonly database?: string } = {}): Promise<string> =>
    run(psqlBin, ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', options.user ?? ADMIN_USER, '-d', options.database ?? 'postgres', '-c', sql], {
      env: { ...process.env, PGPASSWORD: options.password ?? adminPassword, PGCONNECT_TIMEOUT: '5' },
    });
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) {
        done();
        return;
      }
      child.once('exit', done);
      // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, then stop.
      child.kill('SIGINT');
    });
  try {
    await waitUntilReady(psql, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    socketDir: dir,
    adminUser: ADMIN_USER,
    adminPassword,
    ...(caFile === undefined ? {} : { caFile }),
    psql,
    rows: async (sql, options = {}) =>
      (await psql(sql, options))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('|')),
    stop,
  };
}

// Polls with a trivial query for at most ~20 s; fails at once if the server exited.
async function waitUntilReady(psql: (sql: string) => Promise<string>, child: ChildProcess, log: () => string): Promise<void> {
  let last = '';
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`postgres exited with code ${String(child.exitCode)} before accepting connections:\n${log()}`);
    try {
      await psql('select 1');
      return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`postgres did not accept connections: ${last}\n${log()}`);
}

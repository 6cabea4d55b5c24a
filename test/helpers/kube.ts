// Starts a real Kubernetes control plane (etcd + kube-apiserver) for a test file, from the
// binaries `bash scripts/test-env/kube.sh install` built. Never builds: missing binaries fail
// loudly with the setup command. There is no controller-manager or scheduler: objects are
// stored and validated, nothing runs, and a deleted namespace stays Terminating.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, stopChild } from './process.ts';

const KUBE_VERSION = '1.35.4';
const SETUP = 'bash scripts/test-env/kube.sh install';
const TOKEN = 'runestone-test-admin-token';
const run = promisify(execFile);

/** What a `kubectl` call returned; `json` is the parsed stdout when `-o json` was asked for. */
export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly json?: unknown;
}

/** A running apiserver with a kubeconfig and a kubectl pointed at it. */
export interface Kube {
  /** `https://127.0.0.1:PORT` */
  readonly server: string;
  /** A kubeconfig file (context `runestone-test`, token auth, the test CA). */
  readonly kubeconfig: string;
  /** The bearer token of a `system:masters` user. */
  readonly token: string;
  /** PEM of the CA that signed the serving certificate. */
  readonly ca: string;
  /** Environment for a spawned `bin/runestone` (`KUBECONFIG`). */
  readonly env: Readonly<Record<string, string>>;
  /** Runs the built kubectl against this server; stdin optional. Parses JSON stdout. */
  kubectl(args: readonly string[], options?: { readonly stdin?: string }): Promise<KubectlResult>;
  stop(): Promise<void>;
}

/** The directory kube.sh puts kube-apiserver, etcd and kubectl in. */
export function kubeBinDir(): string {
  const cache = process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache');
  return path.join(cache, 'runestone', `kube-${KUBE_VERSION}`, 'bin');
}

/** Starts etcd and kube-apiserver on free loopback ports and waits for `/readyz`. */
export async function startKube(): Promise<Kube> {
  const bin = kubeBinDir();
  if (!existsSync(path.join(bin, '.installed'))) {
    throw new Error(`kube-apiserver, etcd and kubectl are not built in ${bin}: run \`${SETUP}\` (CI's .ci/run does)`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'runestone-kube-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const certs = await writeCertificates(dir);
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcd = spawn(path.join(bin, 'etcd'), [
      '--data-dir', path.join(dir, 'etcd'),
      '--listen-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster', `default=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--log-level', 'error',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(etcd);
    const etcdLog = tail(etcd);
    await writeFile(path.join(dir, 'tokens.csv'), `${TOKEN},runestone-admin,runestone-admin,"system:masters"\n`, { mode: 0o600 });
    const apiserver = spawn(path.join(bin, 'kube-apiserver'), [
      '--etcd-servers', `http://127.0.0.1:${etcdClient}`,
      '--bind-address', '127.0.0.1',
      '--advertise-address', '127.0.0.1',
      '--secure-port', String(apiPort),
      '--cert-dir', dir,
      '--tls-cert-file', certs.serverCert,
      '--tls-private-key-file', certs.serverKey,
      '--client-ca-file', certs.caCert,
      '--service-account-key-file', certs.serverKey,
      '--service-account-signing-key-file', certs.serverKey,
      '--service-account-issuer', 'https://kubernetes.default.svc',
      '--token-auth-file', path.join(dir, 'tokens.csv'),
      '--authorization-mode', 'RBAC',
      '--disable-admission-plugins', 'ServiceAccount',
      '--endpoint-reconciler-type', 'none',
      '--service-cluster-ip-range', '10.96.0.0/16',
      '--allow-privileged=true',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(apiserver);
    const apiLog = tail(apiserver);
    const server = `https://127.0.0.1:${apiPort}`;
    await waitUntilReady(server, certs.ca, [
      { name: 'etcd', child: etcd, log: etcdLog },
      { name: 'kube-apiserver', child: apiserver, log: apiLog },
    ]);
    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeFile(kubeconfig, kubeconfigText(server, certs.ca), { mode: 0o600 });
    return {
      server,
      kubeconfig,
      token: TOKEN,
      ca: certs.ca,
      env: { KUBECONFIG: kubeconfig },
      kubectl: (args, options) => runKubectl(path.join(bin, 'kubectl'), kubeconfig, args, options?.stdin),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function runKubectl(kubectl: string, kubeconfig: string, args: readonly string[], stdin: string | undefined): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(kubectl, ['--kubeconfig', kubeconfig, ...args], { env: { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir() }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      const wantsJson = args.includes('json') && code === 0 && stdout.trim() !== '';
      resolve({ code, stdout, stderr, ...(wantsJson ? { json: JSON.parse(stdout) as unknown } : {}) });
    });
    child.stdin?.end(stdin ?? '');
  });
}

function kubeconfigText(server: string, ca: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: runestone-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(ca).toString('base64')}`,
    'users:',
    '- name: runestone-admin',
    '  user:',
    `    token: ${TOKEN}`,
    'contexts:',
    '- name: runestone-test',
    '  context:',
    '    cluster: runestone-test',
    '    user: runestone-admin',
    'current-context: runestone-test',
    '',
  ].join('\n');
}

interface Certificates {
  readonly ca: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
}

// A throwaway CA and a serving certificate for 127.0.0.1 (openssl is on every machine here).
async function writeCertificates(dir: string): Promise<Certificates> {
  const file = (name: string): string => path.join(dir, name);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=runestone-test-ca', '-keyout', file('ca.key'), '-out', file('ca.crt')]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kube-apiserver', '-keyout', file('server.key'), '-out', file('server.csr')]);
  await writeFile(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default\nextendedKeyUsage=serverAuth\n');
  await run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('server.ext'), '-out', file('server.crt')]);
  return { ca: await readFile(file('ca.crt'), 'utf8'), caCert: file('ca.crt'), serverCert: file('server.crt'), serverKey: file('server.key') };
}

// Keeps the last few KiB of a process's stderr, for the message when it dies early.
function tail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-4000);
  });
  return () => text;
}

// Polls /readyz until it answers 200 (about 4 s here), for at most ~60 s; fails at once if a process died.
async function waitUntilReady(server: string, ca: string, processes: readonly { name: string; child: ChildProcess; log: () => string }[]): Promise<void> {
  const ready = (): Promise<boolean> =>
    new Promise((resolve) => {
      const request = https.get(`${server}/readyz`, { ca, headers: { authorization: `Bearer ${TOKEN}` }, timeout: 2000 }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on('error', () => {
        resolve(false);
      });
      request.on('timeout', () => {
        request.destroy();
      });
    });
  for (let i = 0; i < 300; i++) {
    for (const { name, child, log } of processes) {
      if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before the apiserver was ready:\n${log()}`);
    }
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`kube-apiserver did not become ready on ${server}:\n${processes.map((p) => p.log()).join('\n')}`);
}

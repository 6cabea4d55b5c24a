// Starts a real moto server (the AWS API emulator) for a test file, from the venv that
// `bash scripts/test-env/moto.sh install` made. Never installs: a missing venv fails loudly.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './process.ts';

const MOTO_VERSION = '5.2.5';
const SETUP = 'bash scripts/test-env/moto.sh install';
const run = promisify(execFile);

/** A running moto and an AWS CLI pointed at it. */
export interface Moto {
  readonly endpoint: string;
  /** Environment for a spawned `bin/runestone` (fake credentials, region, endpoint). */
  readonly env: Readonly<Record<string, string>>;
  /** Clears every resource (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Makes generated ids repeatable (`POST /moto-api/seed?a=N`). */
  seed(n: number): Promise<void>;
  /**
   * Runs the AWS CLI against moto with `--output json`; `json` is the parsed stdout.
   * `options.endpoint` aims it at something in front of moto (a fault proxy) instead, and
   * `options.env` adds to its environment (e.g. `AWS_MAX_ATTEMPTS`, default 1).
   */
  aws(args: readonly string[], options?: AwsCliOptions): Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string; readonly json?: unknown }>;
  stop(): Promise<void>;
}

/** Per-call overrides for {@link Moto.aws}. */
export interface AwsCliOptions {
  readonly endpoint?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** The venv moto.sh installs into. */
export function motoVenv(): string {
  const cache = process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache');
  return path.join(cache, 'runestone', `moto-${MOTO_VERSION}`);
}

const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
};

/** Starts moto on a free loopback port and waits until it answers. */
export async function startMoto(): Promise<Moto> {
  const venv = motoVenv();
  if (!existsSync(path.join(venv, '.installed'))) {
    throw new Error(`moto is not installed in ${venv}: run \`${SETUP}\` (CI's .ci/run does)`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(path.join(venv, 'bin', 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', MOTO_ENABLE_AMI_VALIDATION: 'true', MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION: 'true' },
    stdio: 'ignore',
  });
  await waitUntilUp(endpoint, child);
  const post = async (pathname: string): Promise<void> => {
    const response = await fetch(`${endpoint}${pathname}`, { method: 'POST' });
    if (!response.ok) throw new Error(`moto ${pathname} answered ${response.status}`);
  };
  return {
    endpoint,
    env: { ...CREDENTIALS, AWS_ENDPOINT_URL: endpoint },
    reset: () => post('/moto-api/reset'),
    seed: (n) => post(`/moto-api/seed?a=${n}`),
    aws: async (args, options = {}) => {
      try {
        const { stdout, stderr } = await run(path.join(venv, 'bin', 'aws'), ['--endpoint-url', options.endpoint ?? endpoint, '--output', 'json', ...args], {
          env: { ...process.env, ...CREDENTIALS, AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '', ...options.env },
        });
        return { code: 0, stdout, stderr, ...(stdout.trim() === '' ? {} : { json: JSON.parse(stdout) as unknown }) };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => {
          resolve();
        });
        child.kill();
      }),
  };
}

// Polls until moto answers, for at most ~20 s; fails at once if the process died.
async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode} before answering`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill();
  throw new Error(`moto did not answer on ${endpoint}`);
}

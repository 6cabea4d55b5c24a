/**
 * Runs the real `bin/runestone` as a user would (child process, no TTY) on fixture
 * directories in temp dirs, and normalizes what it prints for assertions.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this worktree). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO_ROOT, 'bin/runestone');

/** What one CLI run produced. */
export interface CliResult {
  readonly code: number;
  /** Raw output. */
  readonly stdout: string;
  readonly stderr: string;
  /** Output with temp paths, durations and run ids scrubbed (see {@link normalize}). */
  readonly out: string;
  readonly err: string;
}

/** Options for {@link runestone}. */
export interface RunOptions {
  readonly cwd: string;
  /** Added to a clean environment (no RUNESTONE_VAR_*, no NO_COLOR). */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the run after this long (default 30 s); a safety net, not a timing assertion. */
  readonly timeoutMs?: number;
}

/** Runs `runestone ...args` in `cwd`; never rejects on a non-zero exit. */
export function runestone(args: readonly string[], options: RunOptions): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('RUNESTONE_') && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') env[key] = value;
  }
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    execFile(BIN, [...args], { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
      if (code === undefined) {
        reject(new Error(`runestone ${args.join(' ')} did not exit normally: ${error?.message ?? ''}\n${stderr}`));
        return;
      }
      resolve({ code, stdout, stderr, out: normalize(stdout, options.cwd), err: normalize(stderr, options.cwd) });
    });
  });
}

/**
 * Scrubs what changes between runs: the temp directory (`<dir>`), durations (`(12ms)`,
 * `duration: 1.2s` → `<t>`) and UUIDs.
 */
export function normalize(text: string, dir: string): string {
  return text
    .replaceAll(dir, '<dir>')
    .replace(/\b\d+(?:\.\d+)?(?:ms|s|m)\b/g, '<t>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
}

/** A fresh temp directory (real path, so it matches what the CLI prints). */
export async function tempDir(prefix = 'rs-e2e-'): Promise<string> {
  return realpath(await mkdtemp(path.join(tmpdir(), prefix)));
}

/** Writes `files` (relative path → text) into a new temp dir and returns it. */
export async function writeStack(files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await tempDir();
  await writeFiles(dir, files);
  return dir;
}

/** Writes `files` (relative path → text) under `dir`, creating parents. */
export async function writeFiles(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
}

/** Copies a directory of the repo (e.g. `examples/local`) into a new temp dir. */
export async function copyFromRepo(relative: string): Promise<string> {
  const dir = await tempDir();
  await cp(path.join(REPO_ROOT, relative), dir, { recursive: true });
  return dir;
}

/** Removes a temp dir made by this module. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** One parsed `--events` line. */
export interface EventLine {
  readonly kind: string;
  readonly level: string;
  readonly runId: string;
  readonly time: string;
  readonly message: string;
  readonly data: Record<string, unknown> & { readonly nodeId?: string; readonly status?: string };
}

/** Reads a `--events FILE` JSON Lines file; every line must parse. */
export async function readEvents(file: string): Promise<EventLine[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as EventLine);
}

/** A stack document with the two keys every test needs. */
export function stack(body: string, project = 'e2e'): string {
  return `project: ${project}\nenvironment: dev\n${body}`;
}

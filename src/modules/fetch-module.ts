import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../core/errors.ts';
import type { GitModuleSource } from './module-source.ts';

const run = promisify(execFile);

/** Where fetched modules are kept, under the stack's `.runestone/`. */
export function moduleCacheDir(stateDir: string, name: string): string {
  return path.join(stateDir, 'modules', name);
}

/**
 * Clones `source` at tag `version` (shallow) and copies its subdirectory to `dest`.
 * Returns the commit the tag points at. Throws RS_MODULE_E0005 with git's message.
 */
export async function fetchGitModule(
  name: string,
  source: GitModuleSource,
  version: string,
  dest: string,
  signal?: AbortSignal,
): Promise<{ readonly commit: string }> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'runestone-module-'));
  try {
    try {
      await run('git', ['clone', '--quiet', '--depth', '1', '--branch', version, '--', source.url, work], {
        ...(signal === undefined ? {} : { signal }),
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      });
    } catch (error) {
      const stderr = (error as { stderr?: unknown }).stderr;
      throw new ConfigError('RS_MODULE_E0005', `Cannot fetch module "${name}" from ${source.url} at "${version}": ${String(stderr ?? error).trim().split('\n').pop() ?? ''}`, {
        hint: 'Check the source URL, that the tag exists, and your git credentials',
        cause: error,
      });
    }
    const { stdout } = await run('git', ['-C', work, 'rev-parse', 'HEAD']);
    const from = path.join(work, source.subdir);
    if (!existsSync(path.join(from, 'module.yaml'))) {
      throw new ConfigError('RS_MODULE_E0002', `Cannot use module "${name}": ${source.url} at "${version}" has no ${source.subdir === '' ? '' : `${source.subdir}/`}module.yaml`, {
        hint: 'Point the source at the directory that holds module.yaml (URL//path/to/module)',
      });
    }
    rmSync(dest, { recursive: true, force: true });
    cpSync(from, dest, { recursive: true, filter: (file) => path.basename(file) !== '.git' });
    return { commit: stdout.trim() };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `sha256:<hex>` over the relative paths and contents of every file under `dir`, sorted. */
export function hashDirectory(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      if (entry === '.git') continue;
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(`${path.relative(dir, full)}\0`).update(readFileSync(full)).update('\0');
    }
  };
  walk(dir);
  return `sha256:${hash.digest('hex')}`;
}

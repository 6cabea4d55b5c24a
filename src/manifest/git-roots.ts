import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { RunestoneError } from '../core/errors.ts';

// https://, http://, ssh://, git://, file:// URLs, and scp-like `user@host:path`.
const SCHEME_URL = /^(?:https?|ssh|git|file):\/\//i;
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+:(?!\/\/)/;

/** True when a `--roots` entry is a git URL rather than a directory. */
export function isGitUrl(root: string): boolean {
  return SCHEME_URL.test(root) || SCP_LIKE.test(root);
}

/** A URL as it may be printed: userinfo (`user:token@`) of a scheme URL removed. */
export function redactUrl(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@]*@/, '$1');
}

/** Removes userinfo from every URL in a text (git's own messages may repeat the URL). */
function redactText(text: string, url: string): string {
  return text.replaceAll(url, redactUrl(url)).replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@\s'"]*@/g, '$1');
}

/** The cache folder of one URL: `<cacheRoot>/<sha256 of the URL>`. */
export function gitCacheDir(url: string, cacheRoot: string): string {
  return path.join(cacheRoot, createHash('sha256').update(url).digest('hex'));
}

/** `$XDG_CACHE_HOME/runestone/manifest-repos`, else `~/.cache/runestone/manifest-repos`. */
export function defaultGitCacheRoot(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const xdg = env['XDG_CACHE_HOME'];
  return path.join(xdg !== undefined && xdg !== '' ? xdg : path.join(homeDir, '.cache'), 'runestone', 'manifest-repos');
}

/** Options for {@link syncGitRoot}. */
export interface SyncGitRootOptions {
  readonly cacheRoot: string;
  /** Use the cached copy only; fail when there is none. */
  readonly offline: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Brings the default branch of `url` into its cache folder and returns that folder: a first
 * run clones with `git clone --depth 1`; later runs `git fetch --depth 1 origin HEAD` and
 * reset the work tree to `FETCH_HEAD`. With `offline` the cached copy is used as is.
 * Throws RS_MANIFEST_E0008 (the URL redacted) when git fails or, offline, nothing is cached.
 */
export function syncGitRoot(url: string, options: SyncGitRootOptions): string {
  const dir = gitCacheDir(url, options.cacheRoot);
  const isCached = existsSync(path.join(dir, '.git'));
  const shown = redactUrl(url);
  if (options.offline) {
    if (isCached) return dir;
    throw new RunestoneError('RS_MANIFEST_E0008', `Cannot read git root "${shown}" offline: it has not been cloned into the cache (${options.cacheRoot}) yet`, {
      hint: 'Run once without --offline to clone it',
    });
  }
  // Never wait for a password prompt: a CI job would hang.
  const env = { ...options.env, GIT_TERMINAL_PROMPT: '0' };
  const run = (args: readonly string[], cwd: string, action: string): void => {
    try {
      execFileSync('git', [...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    } catch (error) {
      const stderr = (error as { stderr?: unknown }).stderr;
      const detail = typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim().split('\n').at(-1) ?? '' : (error as Error).message;
      throw new RunestoneError('RS_MANIFEST_E0008', `Cannot ${action} git root "${shown}": ${redactText(detail, url)}`, {});
    }
  };
  if (isCached) {
    run(['fetch', '--quiet', '--depth', '1', 'origin', 'HEAD'], dir, 'refresh');
    run(['reset', '--quiet', '--hard', 'FETCH_HEAD'], dir, 'refresh');
    return dir;
  }
  mkdirSync(options.cacheRoot, { recursive: true });
  // Clone beside the final folder and move it in place, so an interrupted clone is never used.
  const partial = `${dir}.partial-${String(process.pid)}`;
  rmSync(partial, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  try {
    run(['clone', '--quiet', '--depth', '1', '--', url, partial], options.cacheRoot, 'clone');
    try {
      renameSync(partial, dir);
    } catch (error) {
      // Another run cloned the same URL meanwhile: its copy is as good as ours.
      if (!existsSync(path.join(dir, '.git'))) throw error;
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return dir;
}

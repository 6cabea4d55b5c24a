import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { isLocalSource, type ModuleDecl, type ModuleDirResolver } from '../config/index.ts';
import { fetchGitModule, hashDirectory, moduleCacheDir } from './fetch-module.ts';
import { readLockfile, writeLockfile, type LockedModule } from './lockfile.ts';
import { parseGitSource } from './module-source.ts';

/** What `bootstrap` did for one module. */
export interface ModuleResolution {
  readonly name: string;
  readonly source: string;
  readonly version?: string;
  readonly status: 'local' | 'fetched' | 'locked';
  readonly commit?: string;
}

/**
 * Resolves every declared module for `bootstrap`: local ones are checked, git ones are
 * fetched into `.runestone/modules/<name>` unless already there and matching the lock,
 * and `runestone.lock` is rewritten. A tag that moved is refused unless `upgrade`.
 */
export async function resolveModules(
  modules: ReadonlyMap<string, ModuleDecl>,
  options: { readonly lockDir: string; readonly stateDir: string; readonly upgrade: boolean; readonly signal?: AbortSignal },
): Promise<ModuleResolution[]> {
  const lock = readLockfile(options.lockDir);
  const next: Record<string, LockedModule> = {};
  const results: ModuleResolution[] = [];
  for (const decl of [...modules.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (isLocalSource(decl.source)) {
      const dir = path.resolve(decl.baseDir, decl.source);
      if (!existsSync(path.join(dir, 'module.yaml'))) {
        throw new ConfigError('RS_MODULE_E0002', `Cannot find module "${decl.name}": no module.yaml in "${decl.source}"`, { location: decl.at.child('source').location() });
      }
      results.push({ name: decl.name, source: decl.source, status: 'local' });
      continue;
    }
    const git = parseGitSource(decl.source);
    if (git === undefined) {
      throw new ConfigError('RS_MODULE_E0002', `Cannot understand module source "${decl.source}"`, {
        location: decl.at.child('source').location(),
        hint: 'Use ./local/path, github.com/org/repo/path, or a git URL with //subdir',
      });
    }
    if (decl.version === undefined) {
      throw new ConfigError('RS_CONFIG_E0005', `Missing required key "version" for git module "${decl.name}"`, {
        location: decl.at.location(),
        hint: 'Pin a git tag, e.g. version: 1.2.0',
      });
    }
    const dest = moduleCacheDir(options.stateDir, decl.name);
    const locked = lock.modules[decl.name];
    const matchesLock = locked !== undefined && locked.source === decl.source && locked.version === decl.version;
    if (matchesLock && !options.upgrade && existsSync(dest) && hashDirectory(dest) === locked.hash) {
      next[decl.name] = locked;
      results.push({ name: decl.name, source: decl.source, version: decl.version, status: 'locked', commit: locked.commit });
      continue;
    }
    const { commit } = await fetchGitModule(decl.name, git, decl.version, dest, options.signal);
    const hash = hashDirectory(dest);
    if (matchesLock && !options.upgrade && (locked.commit !== commit || locked.hash !== hash)) {
      throw new ConfigError('RS_MODULE_E0006', `Module "${decl.name}" at "${decl.version}" changed since it was locked: commit ${commit.slice(0, 12)}, locked ${locked.commit.slice(0, 12)}`, {
        location: decl.at.child('version').location(),
        hint: 'The tag was moved; run `runestone bootstrap --upgrade` if the new content is intended',
      });
    }
    next[decl.name] = { source: decl.source, version: decl.version, commit, hash };
    results.push({ name: decl.name, source: decl.source, version: decl.version, status: 'fetched', commit });
  }
  writeLockfile(options.lockDir, { version: 1, modules: next });
  return results;
}

/**
 * The module directory resolver for planning: local sources relative to their file;
 * git sources from `.runestone/modules/<name>`, only when they match `runestone.lock`.
 */
export function createModuleResolver(options: { readonly lockDir: string; readonly stateDir: string }): ModuleDirResolver {
  const lock = readLockfile(options.lockDir);
  const verified = new Set<string>();
  return (decl) => {
    if (isLocalSource(decl.source)) return path.resolve(decl.baseDir, decl.source);
    const locked = lock.modules[decl.name];
    const dir = moduleCacheDir(options.stateDir, decl.name);
    if (locked?.source !== decl.source || locked.version !== decl.version || !existsSync(dir)) {
      throw new ConfigError('RS_MODULE_E0004', `Module "${decl.name}" (${decl.source}${decl.version === undefined ? '' : ` ${decl.version}`}) is not fetched`, {
        location: decl.at.child('source').location(),
        hint: 'Run `runestone bootstrap` to fetch git modules and write runestone.lock',
      });
    }
    if (!verified.has(decl.name)) {
      if (hashDirectory(dir) !== locked.hash) {
        throw new ConfigError('RS_MODULE_E0006', `Module "${decl.name}" in ${dir} does not match runestone.lock`, {
          location: decl.at.child('source').location(),
          hint: 'Run `runestone bootstrap` to fetch it again',
        });
      }
      verified.add(decl.name);
    }
    return dir;
  };
}

import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { isPlainObject } from '../core/json.ts';

/** One resolved module in `runestone.lock`. */
export interface LockedModule {
  readonly source: string;
  readonly version: string;
  /** The commit the tag resolved to. */
  readonly commit: string;
  /** `sha256:<hex>` of the module directory's files. */
  readonly hash: string;
}

/** The lock file: every git module pinned to a commit and a content hash. */
export interface Lockfile {
  readonly version: 1;
  readonly modules: Readonly<Record<string, LockedModule>>;
}

/** The lock file's name, beside the first config file. */
export const LOCKFILE_NAME = 'runestone.lock';

/** Reads `runestone.lock` from `dir`; an absent file is an empty lock. */
export function readLockfile(dir: string): Lockfile {
  const file = path.join(dir, LOCKFILE_NAME);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { version: 1, modules: {} };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('RS_MODULE_E0006', `Cannot read ${LOCKFILE_NAME}: it is not valid JSON`, { cause: error, hint: 'Delete it and run `runestone bootstrap` to write it again' });
  }
  if (!isPlainObject(parsed) || parsed['version'] !== 1 || !isPlainObject(parsed['modules'])) {
    throw new ConfigError('RS_MODULE_E0006', `Cannot read ${LOCKFILE_NAME}: unexpected shape`, { hint: 'Delete it and run `runestone bootstrap` to write it again' });
  }
  return parsed as unknown as Lockfile;
}

/** Writes the lock file atomically, with sorted keys so diffs stay small. */
export function writeLockfile(dir: string, lock: Lockfile): void {
  const modules: Record<string, LockedModule> = {};
  for (const name of Object.keys(lock.modules).sort()) {
    const entry = lock.modules[name];
    if (entry !== undefined) modules[name] = entry;
  }
  const file = path.join(dir, LOCKFILE_NAME);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ version: 1, modules }, null, 2)}\n`);
  renameSync(temp, file);
}

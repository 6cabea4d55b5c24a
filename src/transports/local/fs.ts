import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, open, readFile, readlink, rename, rm, rmdir, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ProviderError } from '../../core/index.ts';
import { errnoCode, isNotFound, toFsError } from '../internal/fs-error.ts';
import type { PathStat, PathType } from '../transport.ts';

/** `lstat` of a path, or `undefined` when it does not exist. */
export async function statLocal(path: string): Promise<PathStat | undefined> {
  try {
    const stats = await lstat(path);
    const type: PathType = stats.isSymbolicLink() ? 'symlink' : stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
    return { type, mode: stats.mode & 0o7777, size: stats.size };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toFsError(error, 'inspect', path);
  }
}

/** A file's bytes, or `undefined` when it does not exist. */
export async function readFileLocal(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toFsError(error, 'read', path);
  }
}

/** A file's hex SHA-256, streamed so large files are not held in memory. */
export async function hashFileLocal(path: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(path), hash);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toFsError(error, 'read', path);
  }
  return hash.digest('hex');
}

/**
 * Writes `data` to a temp file beside `path`, fsyncs it, sets `mode` and renames it over
 * `path`, so readers see either the old or the new file, never half of one. The temp file
 * is removed when anything fails.
 */
export async function writeFileAtomicLocal(path: string, data: Uint8Array, mode: number): Promise<void> {
  await makeParents(path);
  const temp = tempPathBeside(path);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
      // chmod after writing: the open() mode is filtered by the umask, chmod is not.
      await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw toFsError(error, 'write', path);
  }
}

/** Creates a directory and its parents, then sets the leaf's mode exactly. */
export async function makeDirectoryLocal(path: string, mode: number): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode });
    await chmod(path, mode);
  } catch (error) {
    throw toFsError(error, 'create directory', path);
  }
}

/** Sets permission bits. */
export async function chmodLocal(path: string, mode: number): Promise<void> {
  try {
    await chmod(path, mode);
  } catch (error) {
    throw toFsError(error, 'change mode of', path);
  }
}

/** A link's target, or `undefined` when the path does not exist. */
export async function readLinkLocal(path: string): Promise<string | undefined> {
  try {
    return await readlink(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toFsError(error, 'read link', path);
  }
}

/** Creates the link under a temp name and renames it over `path` (atomic for links and files). */
export async function linkAtomicLocal(target: string, path: string): Promise<void> {
  await makeParents(path);
  const temp = tempPathBeside(path);
  try {
    await symlink(target, temp);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw toFsError(error, 'create link', path);
  }
}

/** Removes a file or link; a missing path is already the wanted result. */
export async function removeFileLocal(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (isNotFound(error)) return;
    throw toFsError(error, 'remove', path);
  }
}

/** Removes an empty directory; refuses a non-empty one rather than deleting unknown content. */
export async function removeDirectoryLocal(path: string, options: { readonly recursive?: boolean } = {}): Promise<void> {
  try {
    if (options.recursive === true) await rm(path, { recursive: true, force: true });
    else await rmdir(path);
  } catch (error) {
    if (isNotFound(error)) return;
    const code = errnoCode(error);
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      throw new ProviderError('RS_HOST_E0013', `Cannot remove directory "${path}": it is not empty`, { cause: error });
    }
    throw toFsError(error, 'remove directory', path);
  }
}

async function makeParents(path: string): Promise<void> {
  const parent = dirname(path);
  try {
    await mkdir(parent, { recursive: true });
  } catch (error) {
    throw toFsError(error, 'create directory', parent);
  }
}

/** A hidden, unique sibling name; same directory so `rename` stays on one file system. */
function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.runestone-${randomBytes(6).toString('hex')}.tmp`);
}

import { posix } from 'node:path';
import { ProviderError } from '../../../core/index.ts';

/**
 * Resolves a host path: absolute paths are normalised, relative ones resolve from the
 * directory of the config file (`ctx.baseDir`). Host paths are POSIX on every transport.
 */
export function resolveHostPath(path: string, baseDir: string): string {
  return posix.isAbsolute(path) ? posix.normalize(path) : posix.resolve(baseDir, path);
}

/**
 * Throws `RS_HOST_E0004` for paths no resource may delete: empty, or the file system root
 * (however it is spelled: `/`, `//`, `/tmp/..`).
 */
export function assertDeletablePath(path: string, kind: string): void {
  if (path.trim() === '' || posix.normalize(path) === '/' || posix.resolve('/', path) === '/') {
    throw new ProviderError('RS_HOST_E0004', `Refusing to delete ${kind} at "${path}": the path is empty or the file system root`, {
      hint: 'Give the resource a real path; Runestone never deletes an empty path or "/"',
    });
  }
}

/**
 * The resolved path when it is known without a context: what `read` remembered, else the
 * path itself when absolute. A relative path with nothing remembered stays unknown.
 */
export function knownHostPath(path: string, remembered: string | undefined): string | undefined {
  return remembered ?? (posix.isAbsolute(path) ? posix.normalize(path) : undefined);
}

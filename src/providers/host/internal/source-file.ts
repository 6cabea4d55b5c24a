import { readFile } from 'node:fs/promises';
import { ProviderError } from '../../../core/index.ts';
import { resolveHostPath } from './paths.ts';

/**
 * Reads a `source` file from the machine Runestone runs on (where the config lives), not
 * from the target host: sources ship with the config, as in Ansible's `copy`/`template`.
 */
export async function readSourceFile(source: string, baseDir: string): Promise<{ readonly path: string; readonly bytes: Uint8Array }> {
  const path = resolveHostPath(source, baseDir);
  try {
    return { path, bytes: await readFile(path) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ProviderError('RS_HOST_E0006', `Cannot read source "${source}" (resolved to "${path}"): ${detail}`, {
      cause: error,
      hint: `Relative sources resolve from the config directory "${baseDir}"; check the path`,
    });
  }
}

import { hostname, platform, userInfo } from 'node:os';
import { execLocal } from './local/exec.ts';
import {
  chmodLocal,
  hashFileLocal,
  linkAtomicLocal,
  makeDirectoryLocal,
  readFileLocal,
  readLinkLocal,
  removeDirectoryLocal,
  removeFileLocal,
  statLocal,
  writeFileAtomicLocal,
} from './local/fs.ts';
import type { Transport } from './transport.ts';

/**
 * The `local` transport: child processes and the file system of the machine Runestone runs
 * on. Stateless, so one instance can serve every provider.
 *
 * @example
 * const transport = createLocalTransport();
 * const result = await transport.exec({ kind: 'shell', script: 'uname -s' }, { onLine: (line) => seen.push(line) });
 */
export function createLocalTransport(): Transport {
  return {
    name: 'local',
    info: () => {
      const user = safeUserName();
      return Promise.resolve({ platform: platform(), user, hostname: hostname() });
    },
    exec: execLocal,
    stat: statLocal,
    readFile: readFileLocal,
    hashFile: hashFileLocal,
    writeFileAtomic: (path, data, options) => writeFileAtomicLocal(path, data, options.mode),
    makeDirectory: (path, options) => makeDirectoryLocal(path, options.mode),
    chmod: chmodLocal,
    readLink: readLinkLocal,
    linkAtomic: linkAtomicLocal,
    removeFile: removeFileLocal,
    removeDirectory: removeDirectoryLocal,
  };
}

/** `userInfo()` throws when the uid has no passwd entry (common in containers). */
function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

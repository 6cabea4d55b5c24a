import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import { ProviderError } from '../../core/index.ts';
import type { PathStat, PathType } from '../transport.ts';
import type { SshConnection } from './connection.ts';
import { execSsh, shellQuote } from './exec.ts';

/** SFTP status codes (draft-ietf-secsh-filexfer-02). */
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;

/** Bytes per SFTP write request: well under OpenSSH's 256 KiB packet limit. */
const WRITE_CHUNK = 32 * 1024;

/** Write requests sent before waiting for answers. */
const WRITES_IN_FLIGHT = 16;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

/**
 * The file-system half of the SSH transport, over the connection's one sftp session. Same
 * conventions as the local transport: missing paths are answers, permission problems are
 * `RS_HOST_E0002`, everything else `RS_HOST_E0001`.
 */
export class SftpFs {
  readonly #connection: SshConnection;

  constructor(connection: SshConnection) {
    this.#connection = connection;
  }

  async stat(path: string): Promise<PathStat | undefined> {
    const stats = await this.#lstat(path, 'inspect');
    if (stats === undefined) return undefined;
    const format = stats.mode & S_IFMT;
    const type: PathType = format === S_IFLNK ? 'symlink' : format === S_IFDIR ? 'directory' : format === S_IFREG ? 'file' : 'other';
    return { type, mode: stats.mode & 0o7777, size: stats.size };
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const sftp = await this.#connection.sftp();
    try {
      return await call<Buffer>((cb) => {
        sftp.readFile(path, cb);
      });
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.#error(error, 'read', path);
    }
  }

  /** Hashes on the host with `sha256sum` (nothing crosses the wire); streams over sftp where it is missing. */
  async hashFile(path: string): Promise<string | undefined> {
    const stats = await this.stat(path);
    if (stats === undefined) return undefined;
    const result = await execSsh(this.#connection, { kind: 'shell', script: `sha256sum -- ${shellQuote(path)}` }, {});
    const digest = /^([0-9a-f]{64})\b/.exec(result.stdout)?.[1];
    if (result.exitCode === 0 && digest !== undefined) return digest;
    if (result.exitCode !== 127) throw new ProviderError('RS_HOST_E0001', `Cannot read "${path}" on "${this.#connection.target.name}": ${result.stderr.trim()}`);
    const sftp = await this.#connection.sftp();
    const hash = createHash('sha256');
    try {
      await new Promise<void>((resolve, reject) => {
        sftp.createReadStream(path).on('data', (chunk: Buffer) => hash.update(chunk)).once('error', reject).once('end', resolve);
      });
    } catch (error) {
      throw this.#error(error, 'read', path);
    }
    return hash.digest('hex');
  }

  /** Temp file beside `path`, written, fsynced, chmodded, then renamed over it (OpenSSH posix-rename). */
  async writeFileAtomic(path: string, data: Uint8Array, mode: number): Promise<void> {
    const sftp = await this.#connection.sftp();
    await this.#makeParents(sftp, path);
    const temp = tempPathBeside(path);
    try {
      const handle = await call<Buffer>((cb) => {
        sftp.open(temp, 'wx', { mode: 0o600 }, cb);
      });
      try {
        const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        // Several write requests in flight at once: one round trip per chunk would make a
        // large file as slow as the link's latency allows.
        const offsets = Array.from({ length: Math.ceil(buffer.length / WRITE_CHUNK) }, (_, i) => i * WRITE_CHUNK);
        for (let first = 0; first < offsets.length; first += WRITES_IN_FLIGHT) {
          await Promise.all(
            offsets.slice(first, first + WRITES_IN_FLIGHT).map((offset) =>
              call((cb) => {
                sftp.write(handle, buffer, offset, Math.min(WRITE_CHUNK, buffer.length - offset), offset, cb);
              }),
            ),
          );
        }
        // fchmod after writing: the open() mode is filtered by the server's umask, fchmod is not.
        await call((cb) => {
          sftp.fchmod(handle, mode, cb);
        });
        await call((cb) => {
          sftp.ext_openssh_fsync(handle, cb);
        });
      } finally {
        await call((cb) => {
          sftp.close(handle, cb);
        });
      }
      await this.#rename(sftp, temp, path);
    } catch (error) {
      await call((cb) => {
        sftp.unlink(temp, cb);
      }).catch(() => undefined);
      throw this.#error(error, 'write', path);
    }
  }

  async makeDirectory(path: string, mode: number): Promise<void> {
    const sftp = await this.#connection.sftp();
    try {
      await this.#mkdirs(sftp, path, mode);
      await call((cb) => {
        sftp.chmod(path, mode, cb);
      });
    } catch (error) {
      throw this.#error(error, 'create directory', path);
    }
  }

  async chmod(path: string, mode: number): Promise<void> {
    const sftp = await this.#connection.sftp();
    try {
      await call((cb) => {
        sftp.chmod(path, mode, cb);
      });
    } catch (error) {
      throw this.#error(error, 'change mode of', path);
    }
  }

  async readLink(path: string): Promise<string | undefined> {
    const sftp = await this.#connection.sftp();
    try {
      return await call<string>((cb) => {
        sftp.readlink(path, cb);
      });
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.#error(error, 'read link', path);
    }
  }

  async linkAtomic(target: string, path: string): Promise<void> {
    const sftp = await this.#connection.sftp();
    await this.#makeParents(sftp, path);
    const temp = tempPathBeside(path);
    try {
      // ssh2 swaps the arguments for OpenSSH, whose sftp-server reverses them.
      await call((cb) => {
        sftp.symlink(target, temp, cb);
      });
      await this.#rename(sftp, temp, path);
    } catch (error) {
      await call((cb) => {
        sftp.unlink(temp, cb);
      }).catch(() => undefined);
      throw this.#error(error, 'create link', path);
    }
  }

  async removeFile(path: string): Promise<void> {
    const sftp = await this.#connection.sftp();
    try {
      await call((cb) => {
        sftp.unlink(path, cb);
      });
    } catch (error) {
      if (isMissing(error)) return;
      throw this.#error(error, 'remove', path);
    }
  }

  async removeDirectory(path: string, options: { readonly recursive?: boolean } = {}): Promise<void> {
    if (options.recursive === true) {
      // One `rm -rf` on the host beats a round trip per entry over sftp.
      const result = await execSsh(this.#connection, { kind: 'argv', argv: ['rm', '-rf', '--', path] }, {});
      if (result.exitCode !== 0) throw new ProviderError('RS_HOST_E0001', `Cannot remove directory "${path}" on "${this.#connection.target.name}": ${result.stderr.trim()}`);
      return;
    }
    const sftp = await this.#connection.sftp();
    try {
      await call((cb) => {
        sftp.rmdir(path, cb);
      });
    } catch (error) {
      if (isMissing(error)) return;
      // SFTP has no "not empty" status; look before blaming something else.
      const entries = await call<unknown[]>((cb) => {
        sftp.readdir(path, cb);
      }).catch(() => []);
      if (entries.length > 0) throw new ProviderError('RS_HOST_E0013', `Cannot remove directory "${path}": it is not empty`, { cause: error });
      throw this.#error(error, 'remove directory', path);
    }
  }

  async #lstat(path: string, action: string): Promise<Stats | undefined> {
    const sftp = await this.#connection.sftp();
    try {
      return await call<Stats>((cb) => {
        sftp.lstat(path, cb);
      });
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw this.#error(error, action, path);
    }
  }

  async #rename(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
    // Plain SFTP rename refuses to replace an existing path; posix-rename replaces atomically.
    await call((cb) => {
      sftp.ext_openssh_rename(from, to, cb);
    });
  }

  async #makeParents(sftp: SFTPWrapper, path: string): Promise<void> {
    const parent = posix.dirname(path);
    try {
      await this.#mkdirs(sftp, parent, 0o755);
    } catch (error) {
      throw this.#error(error, 'create directory', parent);
    }
  }

  /** `mkdir -p`: creates the missing ancestors (0755, as the local transport), then the leaf with `mode`. */
  async #mkdirs(sftp: SFTPWrapper, path: string, mode: number): Promise<void> {
    const missing: string[] = [];
    for (let current = path; ; current = posix.dirname(current)) {
      const stats = await call<Stats>((cb) => {
        sftp.stat(current, cb);
      }).catch((error: unknown) => {
        if (isMissing(error)) return undefined;
        throw error;
      });
      if (stats !== undefined) break;
      missing.unshift(current);
      if (posix.dirname(current) === current) break;
    }
    for (const dir of missing) {
      await call((cb) => {
        sftp.mkdir(dir, { mode: dir === path ? mode : 0o755 }, cb);
      }).catch(async (error: unknown) => {
        // Another call may have made it meanwhile; that is fine if it is a directory now.
        const stats = await call<Stats>((cb) => {
          sftp.stat(dir, cb);
        }).catch(() => undefined);
        if (stats === undefined || !stats.isDirectory()) throw error;
      });
    }
  }

  #error(error: unknown, action: string, path: string): ProviderError {
    if (error instanceof ProviderError) return error;
    const detail = error instanceof Error ? error.message : String(error);
    const message = `Cannot ${action} "${path}" on "${this.#connection.target.name}": ${detail}`;
    if (sftpCode(error) === PERMISSION_DENIED) return new ProviderError('RS_HOST_E0002', message, { cause: error });
    return new ProviderError('RS_HOST_E0001', message, { cause: error });
  }
}

function sftpCode(error: unknown): number | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'number' ? error.code : undefined;
}

function isMissing(error: unknown): boolean {
  return sftpCode(error) === NO_SUCH_FILE;
}

/** Adapts an ssh2 callback API to a promise. */
function call<T = void>(start: (callback: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((error, value) => {
      if (error !== undefined && error !== null) reject(error);
      else resolve(value);
    });
  });
}

/** A hidden, unique sibling name; same directory so the rename stays on one file system. */
function tempPathBeside(path: string): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.runestone-${randomBytes(6).toString('hex')}.tmp`);
}

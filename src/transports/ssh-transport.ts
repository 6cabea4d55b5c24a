import { ProviderError } from '../core/index.ts';
import { SshConnection, type SshTarget } from './ssh/connection.ts';
import { execSsh } from './ssh/exec.ts';
import { SftpFs } from './ssh/sftp-fs.ts';
import type { HostInfo, Transport } from './transport.ts';

export type { SshTarget };

/** A transport that holds a connection: `close()` ends it. */
export interface SshTransport extends Transport {
  /** The host this transport reaches. */
  readonly target: SshTarget;
  /** Ends the SSH connection; a later call would reconnect. */
  close(): Promise<void>;
}

/**
 * The `ssh` transport: one SSH connection per host (opened on first use, kept alive, reused
 * by every call), exec channels for commands and one sftp session for files. Host keys are
 * checked against known_hosts before anything is sent.
 *
 * Throws (from its methods) `ProviderError` `RS_HOST_E0030` when the host cannot be reached,
 * `RS_HOST_E0031`/`RS_HOST_E0032` for an unknown or changed host key, `RS_HOST_E0033` when
 * no key is accepted and `RS_HOST_E0035` when there is no key and no agent.
 *
 * @example
 * const transport = createSshTransport({ name: 'web1', address: '10.0.0.5', port: 22, user: 'deploy',
 *   keyPath: '/home/me/.ssh/id_ed25519', knownHostsPath: '/home/me/.ssh/known_hosts' });
 * try { await transport.exec({ kind: 'shell', script: 'uptime' }, {}); } finally { await transport.close(); }
 */
export function createSshTransport(target: SshTarget): SshTransport {
  const connection = new SshConnection(target);
  const fs = new SftpFs(connection);
  let info: Promise<HostInfo> | undefined;
  return {
    name: 'ssh',
    target,
    info: () => {
      info ??= readInfo(connection).catch((error: unknown) => {
        info = undefined;
        throw error;
      });
      return info;
    },
    exec: (command, options) => execSsh(connection, command, options),
    stat: (path) => fs.stat(path),
    readFile: (path) => fs.readFile(path),
    hashFile: (path) => fs.hashFile(path),
    writeFileAtomic: (path, data, options) => fs.writeFileAtomic(path, data, options.mode),
    makeDirectory: (path, options) => fs.makeDirectory(path, options.mode),
    chmod: (path, mode) => fs.chmod(path, mode),
    readLink: (path) => fs.readLink(path),
    linkAtomic: (linkTarget, path) => fs.linkAtomic(linkTarget, path),
    removeFile: (path) => fs.removeFile(path),
    removeDirectory: (path, options) => fs.removeDirectory(path, options),
    close: () => connection.close(),
  };
}

async function readInfo(connection: SshConnection): Promise<HostInfo> {
  const result = await execSsh(connection, { kind: 'shell', script: 'uname -s; id -un; uname -n' }, {});
  const [system, user, hostname] = result.stdout.split('\n');
  if (result.exitCode !== 0 || system === undefined || user === undefined || hostname === undefined) {
    throw new ProviderError('RS_HOST_E0001', `Cannot identify "${connection.target.name}": "uname; id" exited with ${result.exitCode ?? result.signal ?? 'no status'}: ${result.stderr.trim()}`);
  }
  return { platform: system.toLowerCase(), user, hostname };
}

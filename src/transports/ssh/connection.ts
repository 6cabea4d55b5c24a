import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Client, type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { ProviderError } from '../../core/index.ts';
import { checkHostKey, knownHostsLine, knownHostsName, type HostKeyVerdict } from './known-hosts.ts';

/** Where an SSH host is and how to log in; settled and validated by the caller (the inventory). */
export interface SshTarget {
  /** The host's inventory name, for messages (`web1`). */
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  /** Private key file (OpenSSH or PEM format, no passphrase). */
  readonly keyPath?: string;
  /** An SSH agent socket (`SSH_AUTH_SOCK`); tried after the key. */
  readonly agentSocket?: string;
  /** The known_hosts file host keys are checked against. */
  readonly knownHostsPath: string;
  /** Accept and record a host key that known_hosts does not list yet (a changed key is still refused). */
  readonly trustOnFirstUse?: boolean;
  /** How long the TCP connect plus SSH handshake may take (default 15 s). */
  readonly connectTimeoutMs?: number;
  /** Keep-alive period (default 15 s); three unanswered ones end the connection. */
  readonly keepaliveIntervalMs?: number;
  /** Channels open at once on the connection (default 8: OpenSSH's MaxSessions is 10, sftp takes one). */
  readonly maxChannels?: number;
}

/**
 * One SSH connection to one host, opened on first use and reused by every call: exec
 * channels (at most `maxChannels` at once, the rest queue) and a single sftp session.
 * A connection that drops is reopened by the next call. A connection that cannot be made
 * (unreachable, host key, authentication) fails every later call at once with the same
 * error, so one dead host costs one timeout, not one per resource.
 */
export class SshConnection {
  readonly target: SshTarget;
  #client: Promise<Client> | undefined;
  #sftp: Promise<SFTPWrapper> | undefined;
  #fatal: ProviderError | undefined;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(target: SshTarget) {
    this.target = target;
  }

  /** `user@address:port`, for messages. */
  get display(): string {
    return `${this.target.user}@${this.target.address}:${this.target.port}`;
  }

  /** The connected client, connecting first if needed. */
  client(): Promise<Client> {
    if (this.#fatal !== undefined) return Promise.reject(this.#fatal);
    this.#client ??= this.#connect().catch((error: unknown) => {
      this.#client = undefined;
      if (error instanceof ProviderError && !error.retryable) this.#fatal = error;
      throw error;
    });
    return this.#client;
  }

  /** The connection's sftp session, started on first use. */
  sftp(): Promise<SFTPWrapper> {
    this.#sftp ??= this.client()
      .then(
        (client) =>
          new Promise<SFTPWrapper>((resolve, reject) => {
            client.sftp((error, sftp) => {
              if (error !== undefined) {
                reject(this.#channelError('start sftp', error));
                return;
              }
              sftp.once('close', () => {
                this.#sftp = undefined;
              });
              // An unheard 'error' would crash the process; the calls in flight fail on their own.
              sftp.on('error', () => {
                this.#sftp = undefined;
              });
              resolve(sftp);
            });
          }),
      )
      .catch((error: unknown) => {
        this.#sftp = undefined;
        throw error;
      });
    return this.#sftp;
  }

  /**
   * Opens an exec channel for `command` once a channel slot is free; `release` must be called
   * when it closes. `priority` skips the queue (for the short kill commands that free slots).
   */
  async exec(command: string, options: { readonly priority?: boolean } = {}): Promise<{ readonly channel: ClientChannel; readonly release: () => void }> {
    const client = await this.client();
    if (options.priority === true) this.#active += 1;
    else await this.#acquire();
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#active -= 1;
      this.#waiting.shift()?.();
    };
    try {
      const channel = await new Promise<ClientChannel>((resolve, reject) => {
        client.exec(command, (error, stream) => {
          if (error !== undefined) reject(this.#channelError('open a channel', error));
          else resolve(stream);
        });
      });
      return { channel, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Ends the connection (queued and running calls fail). Safe to call more than once. */
  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    this.#sftp = undefined;
    if (pending === undefined) return;
    const client = await pending.catch(() => undefined);
    if (client === undefined) return;
    await new Promise<void>((resolve) => {
      client.once('close', () => {
        resolve();
      });
      client.end();
    });
  }

  #acquire(): Promise<void> {
    const limit = this.target.maxChannels ?? 8;
    if (this.#active < limit) {
      this.#active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#waiting.push(() => {
        this.#active += 1;
        resolve();
      });
    });
  }

  #channelError(action: string, error: Error): ProviderError {
    return new ProviderError('RS_HOST_E0034', `Cannot ${action} on "${this.target.name}" (${this.display}): ${error.message}`, { cause: error, retryable: true });
  }

  async #connect(): Promise<Client> {
    const { target } = this;
    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      readyTimeout: target.connectTimeoutMs ?? 15_000,
      keepaliveInterval: target.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 3,
    };
    if (target.keyPath !== undefined) {
      try {
        config.privateKey = await readFile(target.keyPath);
      } catch (error) {
        throw new ProviderError('RS_HOST_E0035', `Cannot read SSH key "${target.keyPath}" for "${target.name}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    if (target.agentSocket !== undefined) config.agent = target.agentSocket;
    if (config.privateKey === undefined && config.agent === undefined) {
      throw new ProviderError('RS_HOST_E0035', `Cannot log in to "${target.name}" (${this.display}): no "key" is set and SSH_AUTH_SOCK names no agent`);
    }
    const knownHosts = await readFile(target.knownHostsPath, 'utf8').catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return '';
      throw new ProviderError('RS_HOST_E0031', `Cannot read known_hosts "${target.knownHostsPath}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    const name = knownHostsName(target.address, target.port);
    let verdict: HostKeyVerdict | undefined;
    config.hostVerifier = (key: Buffer, verify: (valid: boolean) => void): void => {
      verdict = checkHostKey(knownHosts, name, key);
      if (verdict.kind === 'unknown' && target.trustOnFirstUse === true) {
        // Recorded before authentication, as OpenSSH does: the key is the host's either way.
        mkdir(dirname(target.knownHostsPath), { recursive: true })
          .then(() => appendFile(target.knownHostsPath, `${knownHosts === '' || knownHosts.endsWith('\n') ? '' : '\n'}${knownHostsLine(name, key)}`, { mode: 0o600 }))
          .then(
            () => {
              verdict = { kind: 'known' };
              verify(true);
            },
            () => {
              verify(false);
            },
          );
        return;
      }
      verify(verdict.kind === 'known');
    };

    const client = new Client();
    return new Promise<Client>((resolve, reject) => {
      let ready = false;
      client.once('ready', () => {
        ready = true;
        resolve(client);
      });
      client.on('error', (error: Error & { level?: string; code?: string }) => {
        if (ready) return; // A drop after ready surfaces as 'close' and fails the calls in flight.
        reject(this.#connectError(error, verdict));
      });
      client.once('close', () => {
        if (!ready) {
          reject(new ProviderError('RS_HOST_E0030', `Cannot connect to "${target.name}" (${this.display}): the connection closed during the handshake`));
          return;
        }
        // Dropped after use (network, sshd restart): the next call reconnects.
        this.#client = undefined;
        this.#sftp = undefined;
      });
      client.connect(config);
    });
  }

  #connectError(error: Error & { level?: string; code?: string }, verdict: HostKeyVerdict | undefined): ProviderError {
    const { target } = this;
    const where = `"${target.name}" (${this.display})`;
    if (verdict?.kind === 'unknown') {
      return new ProviderError('RS_HOST_E0031', `Cannot trust ${where}: its host key is not in "${target.knownHostsPath}"`, { cause: error });
    }
    if (verdict?.kind === 'changed') {
      return new ProviderError('RS_HOST_E0032', `Refusing to connect to ${where}: its host key differs from line ${verdict.line} of "${target.knownHostsPath}"`, { cause: error });
    }
    if (error.level === 'client-authentication') {
      return new ProviderError('RS_HOST_E0033', `Cannot log in to ${where}: the host accepted none of the offered keys`, { cause: error });
    }
    if (error.level === 'client-timeout') {
      return new ProviderError('RS_HOST_E0030', `Cannot connect to ${where}: no SSH handshake within ${target.connectTimeoutMs ?? 15_000} ms`, { cause: error });
    }
    // ECONNREFUSED, EHOSTUNREACH, ENOTFOUND, ...: Node's message names the code and address.
    return new ProviderError('RS_HOST_E0030', `Cannot connect to ${where}: ${error.message}`, { cause: error });
  }
}

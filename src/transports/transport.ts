/**
 * How commands and files reach a host. Host kinds and plugins talk only to this interface,
 * so the same code runs locally (`local`), over SSH or over SSM. Every path is absolute on
 * the target host; callers resolve relative paths before they get here.
 *
 * Conventions every transport keeps:
 * - "Not found" is an answer, not an error: `stat`, `readFile`, `hashFile` and `readLink`
 *   return `undefined` for a missing path.
 * - Other failures throw `ProviderError` with a `RS_HOST_*` code; busy/temporary failures
 *   are `retryable`. An aborted signal throws `AbortError`.
 */
export interface Transport {
  /** Transport name, as configured: `local`, `ssh`. */
  readonly name: string;
  /** Platform and user of the target, for `bootstrap` checks. */
  info(): Promise<HostInfo>;
  /** Runs a command, streaming its output lines, and resolves with its exit status. */
  exec(command: CommandSpec, options: ExecOptions): Promise<ExecResult>;
  /** `lstat` of a path (links are not followed), or `undefined` when it does not exist. */
  stat(path: string): Promise<PathStat | undefined>;
  /** The bytes of a file, or `undefined` when it does not exist. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** The hex SHA-256 of a file, or `undefined` when it does not exist (no transfer over the wire). */
  hashFile(path: string): Promise<string | undefined>;
  /** Writes a file atomically (temp file in the same directory + rename), creating parent directories. */
  writeFileAtomic(path: string, data: Uint8Array, options: { readonly mode: number }): Promise<void>;
  /** Creates a directory and any missing parents; the leaf gets `mode` exactly (umask ignored). */
  makeDirectory(path: string, options: { readonly mode: number }): Promise<void>;
  /** Sets permission bits (`0o7777` range) on a path. */
  chmod(path: string, mode: number): Promise<void>;
  /** The target of a symbolic link, or `undefined` when the path does not exist. */
  readLink(path: string): Promise<string | undefined>;
  /** Points a symbolic link at `target`, atomically replacing whatever link or file is at `path`. */
  linkAtomic(target: string, path: string): Promise<void>;
  /** Removes a file or link; missing is fine. */
  removeFile(path: string): Promise<void>;
  /**
   * Removes a directory; missing is fine. Without `recursive`, a directory that is not
   * empty throws `RS_HOST_E0013`; with it, everything inside goes too.
   */
  removeDirectory(path: string, options?: { readonly recursive?: boolean }): Promise<void>;
}

/** What runs: a shell script (`/bin/sh -c`) or an argv list with no shell in between. */
export type CommandSpec =
  | { readonly kind: 'shell'; readonly script: string }
  | { readonly kind: 'argv'; readonly argv: readonly [string, ...string[]] };

/** Where and how a command runs. */
export interface ExecOptions {
  /** Working directory on the host; the transport's default when absent. */
  readonly cwd?: string;
  /** Variables added to the host's environment (they override inherited ones). */
  readonly env?: Readonly<Record<string, string>>;
  /** Kills the command (and its process group) after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Aborting kills the command and rejects with `AbortError`. */
  readonly signal?: AbortSignal;
  /** Receives each complete output line as it arrives (without the newline). */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** How a command ended. A non-zero exit is a result, not an error: the caller decides. */
export interface ExecResult {
  /** Exit status, or `null` when it was ended by a signal. */
  readonly exitCode: number | null;
  /** The signal that ended it, if any. */
  readonly signal: string | null;
  /** Captured stdout (the tail, when very long). */
  readonly stdout: string;
  /** Captured stderr (the tail, when very long). */
  readonly stderr: string;
}

/** The type of a path, as `lstat` sees it. */
export type PathType = 'file' | 'directory' | 'symlink' | 'other';

/** What `stat` reports. */
export interface PathStat {
  readonly type: PathType;
  /** Permission bits, `0o7777` range. */
  readonly mode: number;
  readonly size: number;
}

/** Who and where the target host is. */
export interface HostInfo {
  /** `linux`, `darwin`, ... */
  readonly platform: string;
  readonly user: string;
  readonly hostname: string;
}

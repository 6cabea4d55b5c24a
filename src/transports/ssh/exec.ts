import { randomBytes } from 'node:crypto';
import { AbortError, ProviderError } from '../../core/index.ts';
import { LineSplitter, TailBuffer } from '../internal/line-splitter.ts';
import { stopWhen, type StopReason } from '../internal/stop-when.ts';
import type { CommandSpec, ExecOptions, ExecResult } from '../transport.ts';
import type { SshConnection } from './connection.ts';

/** How much of each stream a result keeps (the tail). */
const CAPTURE_LIMIT = 64 * 1024;

/** After TERM, how long a command gets before KILL. */
const KILL_GRACE_MS = 2000;

/** Quotes a string for a POSIX shell: `it's` → `'it'\''s'`. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Builds the one command line sshd hands to the login shell. cwd and env are applied by
 * the shell (`cd`, `env`) rather than by SSH env requests, which sshd refuses unless
 * `AcceptEnv` allows them. The first stderr line is `marker` + `pid:` + the login shell's
 * pid: sshd made it a process group leader and `exec` keeps the pid, so killing that group
 * reaches everything the command started (SSH `signal` requests are refused for root logins,
 * where sshd skips privilege separation).
 * stdin is /dev/null. A missing cwd or program prints `marker` + reason on stderr and exits 127, so it can be
 * told apart from a program that exits 127 itself.
 */
export function buildRemoteCommand(command: CommandSpec, options: Pick<ExecOptions, 'cwd' | 'env'>, marker: string): string {
  // The login shell's pid is its process group (sshd calls setsid for each session); the
  // transport kills that group on timeout or abort.
  const parts: string[] = [`printf '%s\n' "${marker}pid:$$" >&2`];
  const fail = (reason: string): string => `{ printf '%s\\n' ${shellQuote(marker + reason)} >&2; exit 127; }`;
  if (options.cwd !== undefined) parts.push(`cd -- ${shellQuote(options.cwd)} 2>/dev/null || ${fail('cwd')}`);
  if (command.kind === 'argv') parts.push(`command -v -- ${shellQuote(command.argv[0])} >/dev/null 2>&1 || ${fail('missing')}`);
  const program = command.kind === 'shell' ? `/bin/sh -c ${shellQuote(command.script)}` : command.argv.map(shellQuote).join(' ');
  const env = Object.entries(options.env ?? {}).map(([key, value]) => shellQuote(`${key}=${value}`));
  // stdin from /dev/null rather than an SSH EOF: ssh2 sends no signal request on a channel
  // whose sending side is closed, and timeouts and aborts need one.
  parts.push(`${env.length === 0 ? `exec ${program}` : `exec env ${env.join(' ')} ${program}`} </dev/null`);
  return parts.join('; ');
}

/** Runs a command over the host's connection, with the same contract as the local transport. */
export async function execSsh(connection: SshConnection, command: CommandSpec, options: ExecOptions): Promise<ExecResult> {
  const display = command.kind === 'shell' ? command.script : command.argv.join(' ');
  const aborted = (): AbortError => new AbortError('RS_HOST_E0012', `Command "${display}" on "${connection.target.name}" was aborted`);
  if (options.signal?.aborted === true) throw new AbortError('RS_HOST_E0012', `Command "${display}" was aborted before it started`);
  const marker = `\u001erunestone-${randomBytes(6).toString('hex')}:`;
  const { channel, release } = await connection.exec(buildRemoteCommand(command, options, marker));
  // The signal may have fired while waiting for a channel slot.
  if (isAborted(options.signal)) {
    channel.close();
    release();
    throw aborted();
  }

  return new Promise<ExecResult>((resolve, reject) => {
    const stdout = new TailBuffer(CAPTURE_LIMIT);
    const stderr = new TailBuffer(CAPTURE_LIMIT);
    let stopReason: StopReason | undefined;
    let startFailure: string | undefined;
    let groupId: string | undefined;
    const outLines = new LineSplitter((line) => {
      stdout.appendLine(line);
      options.onLine?.(line, 'stdout');
    });
    const errLines = new LineSplitter((line) => {
      if (line.startsWith(marker)) {
        const note = line.slice(marker.length);
        if (note.startsWith('pid:')) {
          groupId = note.slice('pid:'.length);
          // Stopped before the pid line came in (stdout and stderr race): kill now.
          if (stopReason !== undefined) killRemoteGroup(connection, groupId, 'TERM');
        } else {
          startFailure = note;
        }
        return;
      }
      stderr.appendLine(line);
      options.onLine?.(line, 'stderr');
    });
    channel.on('data', (chunk: Buffer) => {
      outLines.push(chunk);
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      errLines.push(chunk);
    });
    // A channel error is followed by 'close' (no exit status: RS_HOST_E0034); listening keeps it from crashing the process.
    channel.on('error', () => undefined);
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    channel.on('exit', (code: number | null, signal?: string) => {
      exitCode = code;
      if (typeof signal === 'string') exitSignal = signal.startsWith('SIG') ? signal : `SIG${signal}`;
    });

    let killTimer: NodeJS.Timeout | undefined;
    const stopWatching = stopWhen(options, (reason) => {
      stopReason = reason;
      killRemoteGroup(connection, groupId, 'TERM');
      killTimer = setTimeout(() => {
        killRemoteGroup(connection, groupId, 'KILL');
        channel.close();
        // A process that left the group may hold the channel open; stop waiting for it.
        killTimer = setTimeout(finish, KILL_GRACE_MS);
        killTimer.unref();
      }, KILL_GRACE_MS);
      killTimer.unref();
    });

    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      stopWatching();
      clearTimeout(killTimer);
      release();
      outLines.flush();
      errLines.flush();
      if (stopReason === 'abort') {
        reject(aborted());
      } else if (stopReason === 'timeout') {
        reject(
          new ProviderError('RS_HOST_E0009', `Command "${display}" on "${connection.target.name}" timed out after ${options.timeoutMs ?? 0} ms`, {
            hint: 'Raise "timeout" or make the command finish sooner',
          }),
        );
      } else if (startFailure !== undefined) {
        const why = startFailure === 'cwd' ? `directory "${options.cwd ?? ''}" does not exist` : 'the program is not on the PATH';
        reject(new ProviderError('RS_HOST_E0010', `Cannot start command "${display}" on "${connection.target.name}": ${why}`));
      } else if (exitCode === null && exitSignal === null) {
        // No exit status at all: the channel or the connection went away under the command.
        reject(new ProviderError('RS_HOST_E0034', `Lost the connection to "${connection.target.name}" while running "${display}"`, { retryable: true }));
      } else {
        resolve({ exitCode, signal: exitSignal, stdout: stdout.toString(), stderr: stderr.toString() });
      }
    };
    channel.once('close', finish);
  });
}

/** Signals the command's process group from a second channel; it may be gone already, which is fine. */
function killRemoteGroup(connection: SshConnection, groupId: string | undefined, signal: 'TERM' | 'KILL'): void {
  if (groupId === undefined || !/^\d+$/.test(groupId)) return;
  connection
    .exec(`kill -s ${signal} -- -${groupId} 2>/dev/null`, { priority: true })
    .then(({ channel, release }) => {
      channel.once('close', release);
      channel.resume();
      channel.stderr.resume();
    })
    .catch(() => undefined);
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

import { spawn } from 'node:child_process';
import { AbortError, ProviderError } from '../../core/index.ts';
import { LineSplitter, TailBuffer } from '../internal/line-splitter.ts';
import { stopWhen, type StopReason } from '../internal/stop-when.ts';
import type { CommandSpec, ExecOptions, ExecResult } from '../transport.ts';

/** How much of each stream a result keeps (the tail). */
const CAPTURE_LIMIT = 64 * 1024;

/** After SIGTERM, how long a command gets before SIGKILL. */
const KILL_GRACE_MS = 2000;

/**
 * Runs a command as a child process of this machine. The child leads its own process group
 * so a timeout or an abort also ends what a shell script started (`sh -c "sleep 9; ..."`).
 */
export function execLocal(command: CommandSpec, options: ExecOptions): Promise<ExecResult> {
  const [file, args] = command.kind === 'shell' ? ['/bin/sh', ['-c', command.script]] : [command.argv[0], command.argv.slice(1)];
  const display = command.kind === 'shell' ? command.script : command.argv.join(' ');
  if (options.signal?.aborted === true) {
    return Promise.reject(new AbortError('RS_HOST_E0012', `Command "${display}" was aborted before it started`));
  }

  return new Promise<ExecResult>((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout = new TailBuffer(CAPTURE_LIMIT);
    const stderr = new TailBuffer(CAPTURE_LIMIT);
    const outLines = new LineSplitter((line) => {
      stdout.appendLine(line);
      options.onLine?.(line, 'stdout');
    });
    const errLines = new LineSplitter((line) => {
      stderr.appendLine(line);
      options.onLine?.(line, 'stderr');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      outLines.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errLines.push(chunk);
    });

    let stopReason: StopReason | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stopWatching = stopWhen(options, (reason) => {
      stopReason = reason;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => {
        killGroup(child.pid, 'SIGKILL');
      }, KILL_GRACE_MS);
      killTimer.unref();
    });
    const cleanUp = (): void => {
      stopWatching();
      clearTimeout(killTimer);
    };

    child.once('error', (error) => {
      cleanUp();
      reject(new ProviderError('RS_HOST_E0010', `Cannot start command "${display}": ${error.message}`, { cause: error }));
    });
    // 'close' (not 'exit') fires after the output streams end, so no line is lost.
    child.once('close', (exitCode, signal) => {
      cleanUp();
      outLines.flush();
      errLines.flush();
      if (stopReason === 'abort') {
        reject(new AbortError('RS_HOST_E0012', `Command "${display}" was aborted`));
      } else if (stopReason === 'timeout') {
        reject(
          new ProviderError('RS_HOST_E0009', `Command "${display}" timed out after ${options.timeoutMs ?? 0} ms`, {
            hint: 'Raise "timeout" or make the command finish sooner',
          }),
        );
      } else {
        resolve({ exitCode, signal, stdout: stdout.toString(), stderr: stderr.toString() });
      }
    });
  });
}

/** Signals the whole process group; the child may already be gone, which is fine. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group already exited between the decision and the kill.
  }
}

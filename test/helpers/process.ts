// Small process and port utilities shared by the helpers that start real components.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A loopback TCP port that was free a moment ago (nothing listens on it after this returns). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no free loopback port'));
      });
    });
  });
}

/** Sends SIGTERM (or `signal`) and resolves once the child has exited; at once if it already has. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => {
      resolve();
    });
    child.kill(signal);
  });
}

import { EXIT } from './exit-codes.ts';
import { runCli } from './main.ts';

// The first Ctrl-C stops new work and lets in-flight work finish; a second one exits now.
function interruptOnSigint(): AbortSignal {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\nInterrupted: finishing running changes, starting no new ones (Ctrl-C again to exit now)\n');
    controller.abort();
  });
  return controller.signal;
}

process.exitCode = await runCli(process.argv.slice(2), { signal: interruptOnSigint() });

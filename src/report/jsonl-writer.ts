import { closeSync, openSync, writeSync } from 'node:fs';
import type { Redactor } from '../core/index.ts';
import type { RunEvent } from '../engine/events.ts';
import type { Reporter } from './reporter.ts';

/** Somewhere JSON Lines go: a file, a stream, a test buffer. */
export interface LineSink {
  write(text: string): void;
}

/** Serializes one event as a JSON Lines line (secrets redacted, newline-terminated). */
export function formatEventLine(event: RunEvent, redactor?: Redactor): string {
  return `${JSON.stringify(redactor === undefined ? event : redactor.redact(event))}\n`;
}

/**
 * A reporter that writes every event as one line of JSON as it arrives (`--events FILE`).
 *
 * @example
 * const file = openJsonlFile('events.jsonl');
 * const reporter = createJsonlWriter(file, { redactor });
 * // ... run ...
 * file.close();
 */
export function createJsonlWriter(sink: LineSink, options: { readonly redactor?: Redactor } = {}): Reporter {
  return {
    onEvent(event: RunEvent): void {
      sink.write(formatEventLine(event, options.redactor));
    },
  };
}

/**
 * Opens a file for JSON Lines, truncating it. Writes are synchronous so every event is on
 * disk before the next one happens, even if the process dies mid-run.
 */
export function openJsonlFile(path: string): LineSink & { close(): void } {
  const fd = openSync(path, 'w');
  return {
    write(text: string): void {
      writeSync(fd, text);
    },
    close(): void {
      closeSync(fd);
    },
  };
}

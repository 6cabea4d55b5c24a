import { readFileSync } from 'node:fs';
import type { RunestoneError } from '../core/errors.ts';
import { createStyle, formatDiagnostics } from '../report/index.ts';
import type { Writer } from './terminal.ts';

/** Reads a config file for a code frame; `undefined` when it cannot be read. */
export function readSourceFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Prints non-fatal findings like errors: file:line:col, code frame and hint. */
export function printWarnings(writer: Writer, warnings: readonly RunestoneError[], readSource: (file: string) => string | undefined = readSourceFile): void {
  const style = createStyle({ color: writer.color });
  for (const warning of warnings) writer.write(formatDiagnostics(warning, { readSource, style }));
}

import type { CodeTable } from './code.ts';

/** Codes owned by the cli area. Append only; never renumber. */
export const CLI_CODES = {
} as const satisfies CodeTable;

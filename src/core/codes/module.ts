import type { CodeTable } from './code.ts';

/** Codes owned by the module area. Append only; never renumber. */
export const MODULE_CODES = {
} as const satisfies CodeTable;

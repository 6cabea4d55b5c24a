import type { CodeTable } from './code.ts';

/** Codes owned by the config area. Append only; never renumber. */
export const CONFIG_CODES = {
} as const satisfies CodeTable;

import type { CodeTable } from './code.ts';

/** Codes owned by the store area. Append only; never renumber. */
export const STORE_CODES = {
} as const satisfies CodeTable;

import type { CodeTable } from './code.ts';

/** Codes owned by the host area. Append only; never renumber. */
export const HOST_CODES = {
} as const satisfies CodeTable;

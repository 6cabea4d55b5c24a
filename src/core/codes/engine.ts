import type { CodeTable } from './code.ts';

/** Codes owned by the engine area. Append only; never renumber. */
export const ENGINE_CODES = {
} as const satisfies CodeTable;

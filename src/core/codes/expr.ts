import type { CodeTable } from './code.ts';

/** Codes owned by the expr area. Append only; never renumber. */
export const EXPR_CODES = {
} as const satisfies CodeTable;

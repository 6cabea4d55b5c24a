import type { CodeTable } from './code.ts';

/** Codes owned by the plan area. Append only; never renumber. */
export const PLAN_CODES = {
} as const satisfies CodeTable;

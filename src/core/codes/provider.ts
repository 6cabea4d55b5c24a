import type { CodeTable } from './code.ts';

/** Codes owned by the provider area. Append only; never renumber. */
export const PROVIDER_CODES = {
} as const satisfies CodeTable;

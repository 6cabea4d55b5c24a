import type { CodeTable } from './code.ts';

/** Codes owned by the internal area. Append only; never renumber. */
export const INTERNAL_CODES = {
  RS_INTERNAL_E0001: {
    title: 'Internal error',
    hint: 'This is a bug in Runestone: rerun with --debug and report it with the output',
  },
} as const satisfies CodeTable;

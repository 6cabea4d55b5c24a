import type { CodeTable } from './code.ts';

/** Codes owned by the cli area. Append only; never renumber. */
export const CLI_CODES = {
  RS_CLI_E0001: { title: 'Unknown option or verb', hint: 'Run `runestone --help` to see every verb and option' },
  RS_CLI_E0002: { title: 'Invalid option value' },
  RS_CLI_E0003: { title: 'Approval needed', hint: 'Run on a terminal to approve, or pass --yes' },
  RS_CLI_E0004: { title: 'Invalid plan file', hint: 'Save a plan with `runestone preview --out FILE` and pass the same FILE' },
  RS_CLI_E0005: { title: 'Cannot write output file' },
} as const satisfies CodeTable;

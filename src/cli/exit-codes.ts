/** Process exit codes (DESIGN.md "Output and exit codes"). */
export const EXIT = {
  ok: 0,
  /** An unexpected internal error. */
  internal: 1,
  /** Invalid config or usage. */
  invalid: 2,
  /** A change or action failed. */
  failed: 3,
  /** `--detect-changes`: changes or drift are pending. */
  pending: 4,
  /** Interrupted before finishing (Ctrl-C with nothing failed). */
  interrupted: 130,
} as const;

/** One of the exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

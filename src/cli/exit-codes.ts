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

/** What each exit code means, as `--help` and docs/cli.md print it. */
export const EXIT_MEANINGS: { readonly [K in keyof typeof EXIT]: string } = {
  ok: 'success',
  internal: 'an internal error (a bug: please report it with the output of `--debug`)',
  invalid: 'invalid config or usage',
  failed: 'a change or action failed',
  pending: 'changes or drift pending (`--detect-changes`)',
  interrupted: 'interrupted (Ctrl-C) before the run finished',
};

/** Where the CLI writes: results to stdout, diagnostics and progress to stderr (STYLE.md §7). */
export interface Terminal {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** True when stdin and stderr are terminals (approval prompts, live progress). */
  readonly isInteractive: boolean;
  /** Asks a yes/no question on the terminal; resolves false when there is no terminal. */
  confirm(question: string): Promise<boolean>;
}

/** A stream the CLI writes text to. */
export interface Writer {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Colour allowed: a TTY, no NO_COLOR, no --no-color. */
  readonly color: boolean;
  /** Columns of the terminal, 100 when unknown. */
  readonly columns: number;
}

/** The process terminal. */
export function processTerminal(options: { readonly noColor: boolean; readonly env: Readonly<Record<string, string | undefined>> }): Terminal {
  const colorAllowed = !options.noColor && (options.env['NO_COLOR'] ?? '') === '' && options.env['TERM'] !== 'dumb';
  const writer = (stream: NodeJS.WriteStream): Writer => {
    let isClosed = false;
    // A reader that went away (`runestone graph | head`) must not crash a commit half-way:
    // stop writing to that stream and let the work finish.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      isClosed = true;
    });
    return {
      write: (text) => {
        if (!isClosed) stream.write(text);
      },
      isTTY: stream.isTTY,
      color: colorAllowed && stream.isTTY,
      columns: stream.columns > 0 ? stream.columns : 100,
    };
  };
  return {
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    isInteractive: process.stdin.isTTY && process.stderr.isTTY,
    confirm: async (question) => {
      if (!process.stdin.isTTY) return false;
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
  };
}

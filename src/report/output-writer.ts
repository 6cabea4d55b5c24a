/**
 * Where a reporter writes. The CLI builds one per stream and decides `color` once
 * (a TTY and no `NO_COLOR`); reporters never look at the process themselves.
 */
export interface OutputWriter {
  write(text: string): void;
  /** True when the stream is an interactive terminal: live progress lines are allowed. */
  readonly isTTY: boolean;
  /** True when ANSI colour may be used. */
  readonly color: boolean;
  /** Terminal width in columns, when known; layouts wrap to it. */
  readonly columns?: number;
}

/** An `OutputWriter` that keeps what it is given, for tests and for building documents. */
export interface MemoryWriter extends OutputWriter {
  /** Everything written so far. */
  readonly text: string;
}

/**
 * Creates an in-memory writer.
 *
 * @example
 * const out = createMemoryWriter({ isTTY: false, color: false });
 * out.write('hello\n');
 * out.text; // 'hello\n'
 */
export function createMemoryWriter(options: { readonly isTTY?: boolean; readonly color?: boolean; readonly columns?: number } = {}): MemoryWriter {
  let text = '';
  return {
    isTTY: options.isTTY ?? false,
    color: options.color ?? false,
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    write(chunk: string): void {
      text += chunk;
    },
    get text(): string {
      return text;
    },
  };
}

import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines as chunks arrive. UTF-8 sequences cut between chunks are
 * decoded whole; `\r\n` counts as one line ending; a last line without a newline is
 * delivered by `flush`.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  readonly #onLine: (line: string) => void;
  #pending = '';

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  /** Feeds a chunk; calls `onLine` for each line it completes. */
  push(chunk: Uint8Array): void {
    this.#emit(this.#pending + this.#decoder.write(Buffer.from(chunk)));
  }

  /** Delivers whatever is left, as a final line, if non-empty. */
  flush(): void {
    const rest = this.#pending + this.#decoder.end();
    this.#pending = '';
    if (rest.length > 0) this.#onLine(stripCarriageReturn(rest));
  }

  #emit(text: string): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.#onLine(stripCarriageReturn(text.slice(start, newline)));
      start = newline + 1;
    }
    this.#pending = text.slice(start);
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Keeps the last `limit` characters of a text stream, so a chatty command cannot grow
 * memory (or the snapshot cache) without bound.
 */
export class TailBuffer {
  readonly #limit: number;
  #text = '';

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Appends a line and its newline. */
  appendLine(line: string): void {
    this.#text += `${line}\n`;
    // Trim only when well past the limit, so appends stay amortised O(1).
    if (this.#text.length > this.#limit * 2) this.#text = this.#text.slice(-this.#limit);
  }

  /** The kept text. */
  toString(): string {
    return this.#text.length > this.#limit ? this.#text.slice(-this.#limit) : this.#text;
  }
}

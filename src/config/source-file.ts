import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { ConfigError, RunestoneAggregateError } from '../core/errors.ts';
import type { SourceLocation } from '../core/location.ts';
import { escapePointer } from '../schema/index.ts';

/** Byte offsets of a value (and of its key, when it sits in a map) in a source file. */
interface Span {
  readonly start: number;
  readonly end: number;
  readonly keyStart?: number;
  readonly keyEnd?: number;
  /** For strings: how the scalar was written, to map offsets inside it. */
  readonly style?: string;
}

/** One YAML document of a source file: its plain value plus where each part came from. */
export interface SourceDocument {
  readonly file: string;
  /** The document as plain JSON-like data. */
  readonly value: unknown;
  readonly source: SourceFile;
  /** Pointer prefix under which this document's positions are indexed. */
  readonly index: number;
}

/**
 * A parsed YAML file that can say where any value came from: `locate('/resources/0/name')`
 * returns its `file:line:col`, including the include/module chain that led here.
 */
export class SourceFile {
  readonly file: string;
  readonly text: string;
  readonly chain: readonly string[];
  readonly #lines: LineCounter;
  readonly #spans = new Map<string, Span>();

  private constructor(file: string, text: string, chain: readonly string[], lines: LineCounter) {
    this.file = file;
    this.text = text;
    this.chain = chain;
    this.#lines = lines;
  }

  /**
   * Parses YAML text (several `---` documents allowed). Throws `ConfigError` with the
   * position of every syntax error (duplicate keys included).
   */
  static parse(file: string, text: string, chain: readonly string[] = []): { source: SourceFile; documents: SourceDocument[] } {
    const lines = new LineCounter();
    const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const source = new SourceFile(file, text, chain, lines);
    const docs = Array.isArray(parsed) ? parsed : [];
    const errors = docs.flatMap((doc) => doc.errors).map((error) => {
      const [start, end] = error.pos;
      return new ConfigError('RS_CONFIG_E0001', `Cannot parse YAML: ${firstLine(error.message)}`, {
        location: source.locateOffsets(start, end),
        hint: 'Check indentation and quoting near this position',
      });
    });
    if (errors.length > 0) throw new RunestoneAggregateError(errors);
    const documents = docs.map((doc, index) => {
      if (doc.contents !== null) source.#index(doc.contents, `/${index}`, undefined);
      return { file, value: doc.toJS({ maxAliasCount: 1000 }) as unknown, source, index };
    });
    return { source, documents: documents.filter((doc) => doc.value !== null && doc.value !== undefined) };
  }

  #index(node: YamlNode, pointer: string, key: YamlNode | undefined): void {
    const range = node.range ?? [0, 0, 0];
    const keyRange = key?.range;
    const style = isScalar(node) ? node.type : undefined;
    this.#spans.set(pointer, {
      start: range[0],
      end: range[1],
      ...(keyRange === undefined || keyRange === null ? {} : { keyStart: keyRange[0], keyEnd: keyRange[1] }),
      ...(style === undefined ? {} : { style }),
    });
    if (isMap(node)) {
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const keyText = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const child = pair.value as YamlNode | null;
        const childPointer = `${pointer}/${escapePointer(keyText)}`;
        if (child === null) {
          const at = keyNode?.range?.[1] ?? range[0];
          this.#spans.set(childPointer, { start: at, end: at, ...(keyNode?.range ? { keyStart: keyNode.range[0], keyEnd: keyNode.range[1] } : {}) });
        } else if (!isAlias(child)) {
          this.#index(child, childPointer, keyNode ?? undefined);
        } else {
          this.#spans.set(childPointer, { start: child.range?.[0] ?? 0, end: child.range?.[1] ?? 0 });
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (item !== null && !isAlias(item)) this.#index(item as YamlNode, `${pointer}/${i}`, undefined);
      });
    }
  }

  /** Location of the value at `pointer` (document-prefixed: `/0/resources/2`); nearest parent if absent. */
  locate(pointer: string, options: { readonly key?: boolean } = {}): SourceLocation {
    let current = pointer;
    for (;;) {
      const span = this.#spans.get(current);
      if (span !== undefined) {
        if (options.key === true && span.keyStart !== undefined && span.keyEnd !== undefined && current === pointer) {
          return this.locateOffsets(span.keyStart, span.keyEnd);
        }
        return this.locateOffsets(span.start, span.end);
      }
      const slash = current.lastIndexOf('/');
      if (slash <= 0) return this.locateOffsets(0, 0);
      current = current.slice(0, slash);
    }
  }

  /**
   * Location of character `offset` inside the string value at `pointer`, for expression
   * errors. Exact for plain and quoted scalars without escapes; else the scalar's start.
   */
  locateInString(pointer: string, offset: number, length = 1): SourceLocation {
    const span = this.#spans.get(pointer);
    if (span === undefined) return this.locate(pointer);
    const quote = span.style === 'QUOTE_DOUBLE' || span.style === 'QUOTE_SINGLE' ? 1 : 0;
    const raw = this.text.slice(span.start + quote, span.end - quote);
    const isVerbatim = span.style === 'PLAIN' || (quote === 1 && !raw.includes('\\') && !raw.includes("''"));
    if (!isVerbatim || raw.includes('\n')) return this.locateOffsets(span.start, span.end);
    const start = span.start + quote + offset;
    return this.locateOffsets(start, start + Math.max(length, 1));
  }

  /** Converts byte offsets to a 1-based location with this file's chain. */
  locateOffsets(start: number, end: number): SourceLocation {
    const from = this.#lines.linePos(start);
    const to = this.#lines.linePos(end);
    return {
      file: this.file,
      line: from.line,
      column: from.col,
      endLine: to.line,
      endColumn: to.col,
      ...(this.chain.length > 0 ? { chain: this.chain } : {}),
    };
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

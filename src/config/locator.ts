import type { SourceLocation } from '../core/location.ts';
import { escapePointer } from '../schema/index.ts';
import type { SourceFile } from './source-file.ts';

/** Points at a value inside a source file; children are reached by key or index. */
export class Locator {
  readonly source: SourceFile;
  readonly pointer: string;

  constructor(source: SourceFile, pointer: string) {
    this.source = source;
    this.pointer = pointer;
  }

  /** The locator of a child value. */
  child(key: string | number): Locator {
    return new Locator(this.source, `${this.pointer}/${typeof key === 'number' ? String(key) : escapePointer(key)}`);
  }

  /** The locator of a JSON pointer relative to this value. */
  at(relativePointer: string): Locator {
    return new Locator(this.source, `${this.pointer}${relativePointer}`);
  }

  /** Where the value is. */
  location(): SourceLocation {
    return this.source.locate(this.pointer);
  }

  /** Where the value's key is (for unknown-key errors), else the value. */
  keyLocation(): SourceLocation {
    return this.source.locate(this.pointer, { key: true });
  }

  /** Where character `offset` of the string value is (for expression errors). */
  locationInString(offset: number, length?: number): SourceLocation {
    return this.source.locateInString(this.pointer, offset, length);
  }
}

/** A position in a source file, 1-based, with the include/module chain that led to it. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** Outer-first chain of `file:line:col` strings that included or instantiated this file. */
  readonly chain?: readonly string[];
}

/** Formats a location as `file:line:col`, followed by its include chain when there is one. */
export function formatLocation(location: SourceLocation): string {
  const here = `${location.file}:${location.line}:${location.column}`;
  if (location.chain === undefined || location.chain.length === 0) return here;
  return [...location.chain, here].join(' -> ');
}

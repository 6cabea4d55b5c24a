/** Areas that own error and event codes. Each has its own file in this folder. */
export type CodeArea = 'CONFIG' | 'EXPR' | 'PLAN' | 'ENGINE' | 'PROVIDER' | 'HOST' | 'AWS' | 'KUBE' | 'POSTGRES' | 'STORE' | 'CLI' | 'MODULE' | 'MANIFEST' | 'INTERNAL';

/** A stable code: `RS_<AREA>_<E|W|I><NNNN>`. Never reused or renumbered. */
export type Code = `RS_${CodeArea}_${'E' | 'W' | 'I'}${number}`;

/** What the registry says about one code; docs/error-codes.md is generated from it. */
export interface CodeInfo {
  /** Short sentence-case title, no trailing period. */
  readonly title: string;
  /** What usually fixes it. */
  readonly hint?: string;
}

/** One area's codes. `satisfies CodeTable` keeps keys literal while checking their shape. */
export type CodeTable = Readonly<Record<Code, CodeInfo>>;

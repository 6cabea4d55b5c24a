import type { Locator } from './locator.ts';

/** A declared variable after the file is read (overrides are applied later). */
/** The value types a long-form variable may declare (`type:`), Terraform's primitive set. */
export const VARIABLE_TYPES = ['string', 'number', 'bool', 'list', 'map'] as const;
/** One of {@link VARIABLE_TYPES}. */
export type VariableType = (typeof VARIABLE_TYPES)[number];

export interface VariableDecl {
  readonly name: string;
  /** `undefined` when the long form has no default (a value must be supplied). */
  readonly value: unknown;
  readonly secret: boolean;
  readonly description?: string;
  /** Declared `type:`; values from files, CLI and environment are checked against it. */
  readonly type?: VariableType;
  readonly at: Locator;
}

/** A `providers:` entry. */
export interface ProviderDecl {
  readonly name: string;
  readonly type: string;
  readonly config: Record<string, unknown>;
  readonly at: Locator;
}

/** A `modules:` entry. */
export interface ModuleDecl {
  readonly name: string;
  readonly source: string;
  readonly version?: string;
  readonly inputs: Record<string, unknown>;
  readonly at: Locator;
  /** Directory of the file that declared it; local sources resolve from here. */
  readonly baseDir: string;
}

/** A resource block as written (expressions not yet evaluated). */
export interface ResourceBlock {
  readonly value: Readonly<Record<string, unknown>>;
  readonly at: Locator;
}

/** An `outputs:` entry. */
export interface OutputDecl {
  readonly name: string;
  readonly value: unknown;
  readonly secret: boolean;
  readonly description?: string;
  readonly at: Locator;
}

/** A stack's configuration from all its files, validated against the stack schema. */
export interface StackConfig {
  readonly project: string;
  readonly environment: string;
  readonly variables: ReadonlyMap<string, VariableDecl>;
  readonly providers: readonly ProviderDecl[];
  readonly modules: ReadonlyMap<string, ModuleDecl>;
  readonly resources: readonly ResourceBlock[];
  readonly outputs: readonly OutputDecl[];
  /** Every file read, in order (for the config hash and code frames). */
  readonly files: ReadonlyMap<string, string>;
  /** Directory of the first file. */
  readonly baseDir: string;
}

import { parse as parseYaml } from 'yaml';
import { ConfigError, type RunestoneError } from '../core/errors.ts';
import { isPlainObject, type JsonValue } from '../core/json.ts';
import { didYouMean, type StackConfig, type VariableDecl, type VariableType } from '../config/index.ts';

/** Variable values from outside the files, by source; higher sources win. */
export interface VariableOverrides {
  /** `--var k=v` (strongest). */
  readonly cli?: Readonly<Record<string, string>>;
  /** `--var-file FILE` contents, merged in order. */
  readonly files?: Readonly<Record<string, unknown>>;
  /** The process environment; `RUNESTONE_VAR_<name>` entries are used. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Final variable values plus which are secret. */
export interface ResolvedVariables {
  readonly values: Readonly<Record<string, unknown>>;
  readonly secrets: readonly string[];
  /** Non-fatal findings (e.g. an unknown RUNESTONE_VAR_). */
  readonly warnings: readonly RunestoneError[];
}

const ENV_PREFIX = 'RUNESTONE_VAR_';

/**
 * Applies overrides with precedence `--var` > `--var-file` > `RUNESTONE_VAR_*` > file.
 * Strings from the CLI and environment are parsed as YAML unless the declared default is a
 * string, so `--var replicas=3` is a number and `--var name=007` stays text when declared so.
 */
export function resolveVariables(config: StackConfig, overrides: VariableOverrides): ResolvedVariables {
  const values: Record<string, unknown> = {};
  const secrets: string[] = [];
  const warnings: RunestoneError[] = [];
  const names = [...config.variables.keys()];
  const unknown = (name: string, from: string): ConfigError => {
    const suggestion = didYouMean(name, names);
    return new ConfigError('RS_CONFIG_E0008', `Cannot set variable "${name}" from ${from}: the stack declares no such variable`, {
      hint: suggestion === undefined ? `Declared variables: ${names.join(', ') || '(none)'}` : `Did you mean "${suggestion}"?`,
    });
  };
  for (const name of Object.keys(overrides.cli ?? {})) if (!config.variables.has(name)) throw unknown(name, '--var');
  for (const name of Object.keys(overrides.files ?? {})) if (!config.variables.has(name)) throw unknown(name, '--var-file');
  for (const [key, value] of Object.entries(overrides.env ?? {})) {
    if (!key.startsWith(ENV_PREFIX) || value === undefined) continue;
    const name = key.slice(ENV_PREFIX.length);
    if (!config.variables.has(name)) {
      warnings.push(new ConfigError('RS_CONFIG_W0001', `Ignoring environment variable ${key}: the stack declares no variable "${name}"`));
    }
  }
  for (const decl of config.variables.values()) {
    const cli = overrides.cli?.[decl.name];
    const file = overrides.files?.[decl.name];
    const env = overrides.env?.[`${ENV_PREFIX}${decl.name}`];
    let value: unknown;
    let from = 'its default';
    if (cli !== undefined) [value, from] = [coerce(cli, decl), `--var ${decl.name}`];
    else if (file !== undefined) [value, from] = [file, '--var-file'];
    else if (env !== undefined) [value, from] = [coerce(env, decl), `${ENV_PREFIX}${decl.name}`];
    else value = decl.value;
    if (value === undefined) {
      throw new ConfigError('RS_CONFIG_E0009', `Variable "${decl.name}" has no value`, {
        location: decl.at.location(),
        hint: `Set it with --var ${decl.name}=VALUE, --var-file or ${ENV_PREFIX}${decl.name}`,
      });
    }
    if (decl.type !== undefined && !hasType(value, decl.type)) {
      const shown = decl.secret ? 'a secret value' : JSON.stringify(value);
      throw new ConfigError('RS_CONFIG_E0012', `Variable "${decl.name}" is declared type ${decl.type}, but ${from} gives ${describeType(value)} ${shown}`, {
        location: decl.at.location(),
        hint: `Give a ${decl.type} value, or change the variable's type:`,
      });
    }
    values[decl.name] = value;
    if (decl.secret) secrets.push(decl.name);
  }
  return { values, secrets, warnings };
}

function hasType(value: unknown, type: VariableType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'map':
      return isPlainObject(value);
  }
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  if (typeof value === 'boolean') return 'a bool';
  return `a ${typeof value}`;
}

// Text from the CLI or environment: kept as text for string variables (by type, or by a
// string default when untyped), parsed as YAML otherwise so 3 is a number and [a] a list.
function coerce(text: string, decl: VariableDecl): unknown {
  if (decl.type === 'string' || (decl.type === undefined && (typeof decl.value === 'string' || decl.value === undefined))) return text;
  try {
    return parseYaml(text) as JsonValue;
  } catch {
    return text;
  }
}

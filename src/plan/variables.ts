import { parse as parseYaml } from 'yaml';
import { ConfigError, type RunestoneError } from '../core/errors.ts';
import type { JsonValue } from '../core/json.ts';
import { didYouMean, type StackConfig } from '../config/index.ts';

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
    if (cli !== undefined) value = coerce(cli, decl.value);
    else if (file !== undefined) value = file;
    else if (env !== undefined) value = coerce(env, decl.value);
    else value = decl.value;
    if (value === undefined) {
      throw new ConfigError('RS_CONFIG_E0009', `Variable "${decl.name}" has no value`, {
        location: decl.at.location(),
        hint: `Set it with --var ${decl.name}=VALUE, --var-file or ${ENV_PREFIX}${decl.name}`,
      });
    }
    values[decl.name] = value;
    if (decl.secret) secrets.push(decl.name);
  }
  return { values, secrets, warnings };
}

function coerce(text: string, declared: unknown): unknown {
  if (typeof declared === 'string' || declared === undefined) return text;
  try {
    return parseYaml(text) as JsonValue;
  } catch {
    return text;
  }
}

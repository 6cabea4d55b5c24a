import path from 'node:path';
import { ConfigError, RunestoneAggregateError, type RunestoneError } from '../core/errors.ts';
import { isPlainObject } from '../core/json.ts';
import { compileSchema } from '../schema/index.ts';
import type { ConfigFiles } from './files.ts';
import { Locator } from './locator.ts';
import { SourceFile } from './source-file.ts';
import { VARIABLE_TYPES, type ModuleDecl, type OutputDecl, type ProviderDecl, type ResourceBlock, type StackConfig, type VariableDecl, type VariableType } from './stack-config.ts';
import { STACK_SCHEMA, VARIABLE_KEYS } from './stack-schema.ts';
import { issuesToErrors } from './validate.ts';

/** Where to read a stack from. */
export interface LoadStackOptions {
  readonly files: ConfigFiles;
  /** Files or directories (`-f`); empty means `runestone.yaml` in `cwd`. */
  readonly paths: readonly string[];
  readonly cwd: string;
}

const checkStack = compileSchema(STACK_SCHEMA);

/**
 * Reads and validates every stack document of the given files and merges them into one
 * `StackConfig`. Throws `ConfigError` (or an aggregate of them) with file:line:col.
 */
export function loadStack(options: LoadStackOptions): StackConfig {
  const filePaths = resolvePaths(options);
  const errors: RunestoneError[] = [];
  const texts = new Map<string, string>();
  const merged = new StackMerger();
  for (const file of filePaths) {
    const text = options.files.readText(file);
    if (text === undefined) throw new ConfigError('RS_CONFIG_E0002', `Cannot read config file "${file}": it does not exist`);
    const display = displayPath(file, options.cwd);
    texts.set(display, text);
    let parsed: ReturnType<typeof SourceFile.parse>;
    try {
      parsed = SourceFile.parse(display, text);
    } catch (error) {
      errors.push(...(error instanceof RunestoneAggregateError ? error.errors : [error as RunestoneError]));
      continue;
    }
    for (const doc of parsed.documents) {
      const at = new Locator(doc.source, `/${doc.index}`);
      if (!isPlainObject(doc.value)) {
        errors.push(new ConfigError('RS_CONFIG_E0004', `Invalid stack document: expected a map, found ${Array.isArray(doc.value) ? 'a list' : typeof doc.value}`, { location: at.location() }));
        continue;
      }
      const issues = checkStack(doc.value);
      if (issues.length > 0) {
        errors.push(...issuesToErrors(issues, doc.value, at, 'the stack'));
        continue;
      }
      merged.add(doc.value, at, path.dirname(file), errors);
    }
  }
  if (errors.length > 0) throw new RunestoneAggregateError(errors);
  return merged.finish(texts, path.dirname(filePaths[0] ?? path.join(options.cwd, 'runestone.yaml')));
}

function resolvePaths(options: LoadStackOptions): string[] {
  const given = options.paths.length > 0 ? options.paths : ['runestone.yaml'];
  const out: string[] = [];
  for (const given1 of given) {
    const absolute = path.resolve(options.cwd, given1);
    if (options.files.isDirectory(absolute)) {
      const listed = options.files.listYaml(absolute).filter((f) => !path.basename(f).startsWith('.'));
      if (listed.length === 0) throw new ConfigError('RS_CONFIG_E0002', `Cannot find config: directory "${given1}" has no *.yaml files`);
      out.push(...listed);
    } else if (options.files.readText(absolute) === undefined) {
      throw new ConfigError('RS_CONFIG_E0002', `Cannot find config file "${given1}"`, {
        hint: options.paths.length === 0 ? 'Run from a directory with runestone.yaml, or pass -f FILE|DIR' : 'Check the path given to -f',
      });
    } else {
      out.push(absolute);
    }
  }
  return [...new Set(out)];
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

class StackMerger {
  #project: { value: string; at: Locator } | undefined;
  #environment: { value: string; at: Locator } | undefined;
  readonly #variables = new Map<string, VariableDecl>();
  readonly #providers = new Map<string, ProviderDecl>();
  readonly #modules = new Map<string, ModuleDecl>();
  readonly #outputs = new Map<string, OutputDecl>();
  readonly #resources: ResourceBlock[] = [];

  add(doc: Record<string, unknown>, at: Locator, dir: string, errors: RunestoneError[]): void {
    this.#project = this.#single('project', doc, at, this.#project, errors);
    this.#environment = this.#single('environment', doc, at, this.#environment, errors);
    for (const [name, raw] of Object.entries(asMap(doc['variables']))) {
      const vat = at.child('variables').child(name);
      if (this.#duplicate('variable', name, this.#variables, vat, errors)) continue;
      this.#variables.set(name, toVariable(name, raw, vat, errors));
    }
    for (const [name, raw] of Object.entries(asMap(doc['providers']))) {
      const pat = at.child('providers').child(name);
      if (this.#duplicate('provider', name, this.#providers, pat, errors)) continue;
      const config = { ...asMap(raw) };
      const type = typeof config['type'] === 'string' ? config['type'] : (name.split('.')[0] ?? name);
      delete config['type'];
      this.#providers.set(name, { name, type, config, at: pat });
    }
    for (const [name, raw] of Object.entries(asMap(doc['modules']))) {
      const mat = at.child('modules').child(name);
      if (this.#duplicate('module', name, this.#modules, mat, errors)) continue;
      const decl = asMap(raw);
      const version = decl['version'];
      this.#modules.set(name, {
        name,
        source: String(decl['source']),
        ...(typeof version === 'string' ? { version } : {}),
        inputs: asMap(decl['inputs']),
        at: mat,
        baseDir: dir,
      });
    }
    for (const [name, raw] of Object.entries(asMap(doc['outputs']))) {
      const oat = at.child('outputs').child(name);
      if (this.#duplicate('output', name, this.#outputs, oat, errors)) continue;
      this.#outputs.set(name, toOutput(name, raw, oat));
    }
    const resources = Array.isArray(doc['resources']) ? (doc['resources'] as unknown[]) : [];
    resources.forEach((value, i) => {
      this.#resources.push({ value: asMap(value), at: at.child('resources').child(i) });
    });
  }

  #single(
    key: 'project' | 'environment',
    doc: Record<string, unknown>,
    at: Locator,
    current: { value: string; at: Locator } | undefined,
    errors: RunestoneError[],
  ): { value: string; at: Locator } | undefined {
    const value = doc[key];
    if (typeof value !== 'string') return current;
    if (current !== undefined && current.value !== value) {
      errors.push(
        new ConfigError('RS_CONFIG_E0007', `Conflicting ${key}: "${value}" here, "${current.value}" at ${current.at.source.file}`, {
          location: at.child(key).location(),
        }),
      );
      return current;
    }
    return current ?? { value, at: at.child(key) };
  }

  #duplicate(what: string, name: string, existing: ReadonlyMap<string, { at: Locator }>, at: Locator, errors: RunestoneError[]): boolean {
    const previous = existing.get(name);
    if (previous === undefined) return false;
    const where = previous.at.location();
    errors.push(
      new ConfigError('RS_CONFIG_E0010', `Duplicate ${what} "${name}": already defined at ${where.file}:${where.line}:${where.column}`, {
        location: at.keyLocation(),
      }),
    );
    return true;
  }

  finish(files: ReadonlyMap<string, string>, baseDir: string): StackConfig {
    if (this.#project === undefined) {
      throw new ConfigError('RS_CONFIG_E0005', 'Missing required key "project" in the stack', { hint: 'Add project: <name> to runestone.yaml' });
    }
    return {
      project: this.#project.value,
      environment: this.#environment?.value ?? 'default',
      variables: this.#variables,
      providers: [...this.#providers.values()],
      modules: this.#modules,
      resources: this.#resources,
      outputs: [...this.#outputs.values()],
      files,
      baseDir,
    };
  }
}

function asMap(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

/**
 * True when a variable entry is the long form ({ default, secret, description, type }): only
 * those keys, and at least one that a plain map value would not have by chance (`default`,
 * `secret`, a known `type`) or `description` alone (a required variable).
 */
export function isLongFormVariable(raw: unknown): raw is Record<string, unknown> {
  if (!isPlainObject(raw)) return false;
  const keys = Object.keys(raw);
  if (keys.length === 0 || !keys.every((k) => VARIABLE_KEYS.includes(k))) return false;
  const knownType = typeof raw['type'] === 'string' && (VARIABLE_TYPES as readonly string[]).includes(raw['type']);
  return 'default' in raw || 'secret' in raw || knownType || (keys.length === 1 && keys[0] === 'description');
}

function toVariable(name: string, raw: unknown, at: Locator, errors: RunestoneError[]): VariableDecl {
  if (isLongFormVariable(raw)) {
    const description = raw['description'];
    const type = raw['type'];
    const known = typeof type === 'string' && (VARIABLE_TYPES as readonly string[]).includes(type);
    if (type !== undefined && !known) {
      errors.push(
        new ConfigError('RS_CONFIG_E0004', `Variable "${name}" has type ${JSON.stringify(type)}; expected one of ${VARIABLE_TYPES.join(', ')}`, {
          location: at.child('type').location(),
          hint: 'Write type: string, number, bool, list or map, or leave type out',
        }),
      );
    }
    return {
      name,
      value: raw['default'],
      secret: raw['secret'] === true,
      ...(typeof description === 'string' ? { description } : {}),
      ...(known ? { type: type as VariableType } : {}),
      at: 'default' in raw ? at.child('default') : at,
    };
  }
  return { name, value: raw, secret: false, at };
}

function toOutput(name: string, raw: unknown, at: Locator): OutputDecl {
  if (isPlainObject(raw) && 'value' in raw && Object.keys(raw).every((k) => ['value', 'secret', 'description'].includes(k))) {
    const description = raw['description'];
    return { name, value: raw['value'], secret: raw['secret'] === true, ...(typeof description === 'string' ? { description } : {}), at: at.child('value') };
  }
  return { name, value: raw, secret: false, at };
}

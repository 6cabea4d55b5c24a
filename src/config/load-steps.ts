import path from 'node:path';
import { ConfigError, RunestoneAggregateError, type RunestoneError } from '../core/errors.ts';
import { isPlainObject } from '../core/json.ts';
import { formatLocation } from '../core/location.ts';
import { compileSchema } from '../schema/index.ts';
import type { ConfigFiles } from './files.ts';
import { Locator } from './locator.ts';
import { SourceFile } from './source-file.ts';
import { STEP_ACTIONS, STEP_SCHEMA, type StepActionName } from './steps-schema.ts';
import { issuesToErrors } from './validate.ts';

/** One entry of a steps document after includes are flattened, in run order. */
export type StepsItem =
  | {
      readonly kind: 'step';
      readonly action: Exclude<StepActionName, 'include' | 'include_vars' | 'vars'>;
      readonly step: Readonly<Record<string, unknown>>;
      readonly at: Locator;
      /** Directory of the file the step is written in; its relative paths resolve from here. */
      readonly dir: string;
    }
  | {
      /** Variables a `vars:` step (layer `file`) or an `include_vars:` file (layer `include_vars`) adds for later steps. */
      readonly kind: 'vars';
      readonly layer: 'file' | 'include_vars';
      readonly values: Readonly<Record<string, unknown>>;
      readonly at: Locator;
    };

/** A steps document with its includes read: the root `vars` and every step in order. */
export interface StepsConfig {
  /** Names the stack: the document's `name`, else the file name without extension. */
  readonly name: string;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Where the root `vars` map is (for expression errors inside it). */
  readonly varsAt: Locator | undefined;
  readonly items: readonly StepsItem[];
  /** Every file read (display path → text), for the config hash. */
  readonly files: ReadonlyMap<string, string>;
  /** Directory of the root file. */
  readonly baseDir: string;
}

/** Where to read a steps document from. */
export interface LoadStepsOptions {
  readonly files: ConfigFiles;
  readonly cwd: string;
}

const checkStep = compileSchema(STEP_SCHEMA);
const ROOT_KEYS = ['name', 'version', 'vars', 'steps'];
const MAX_INCLUDE_DEPTH = 32;

/**
 * True when a parsed YAML value is a steps document rather than a stack: a list at the top,
 * or a map with a top-level `steps:` key (stacks have no `steps:` key).
 */
export function isStepsDocument(value: unknown): boolean {
  return Array.isArray(value) || (isPlainObject(value) && 'steps' in value);
}

/** True when the first YAML document of `text` is a steps document; false when it does not parse. */
export function looksLikeSteps(text: string): boolean {
  try {
    const { documents } = SourceFile.parse('probe', text);
    return documents.length > 0 && isStepsDocument(documents[0]?.value);
  } catch {
    return false;
  }
}

/**
 * Reads a steps document and everything it includes into one ordered `StepsConfig`.
 * Throws `ConfigError`s (an aggregate when there are several) located at file:line:col
 * with the include chain; an include cycle is RS_CONFIG_E0013 and spells the chain out.
 */
export function loadSteps(file: string, options: LoadStepsOptions): StepsConfig {
  const absolute = path.resolve(options.cwd, file);
  const loader = new StepsLoader(options);
  const root = loader.readRoot(absolute);
  if (loader.errors.length > 0) throw new RunestoneAggregateError(loader.errors);
  return {
    name: root.name ?? path.basename(absolute).replace(/\.ya?ml$/, ''),
    vars: root.vars,
    varsAt: root.varsAt,
    items: loader.items,
    files: loader.texts,
    baseDir: path.dirname(absolute),
  };
}

/** An open include: the file and where it was included from (undefined for the root). */
interface Frame {
  readonly file: string;
  readonly site: string | undefined;
}

class StepsLoader {
  readonly items: StepsItem[] = [];
  readonly errors: RunestoneError[] = [];
  readonly texts = new Map<string, string>();
  readonly #options: LoadStepsOptions;
  readonly #stack: Frame[] = [];

  constructor(options: LoadStepsOptions) {
    this.#options = options;
  }

  readRoot(file: string): { name?: string; vars: Record<string, unknown>; varsAt: Locator | undefined } {
    const doc = this.#parse(file, []);
    if (doc === undefined) return { vars: {}, varsAt: undefined };
    let steps: unknown[];
    let stepsAt: Locator;
    let out: { name?: string; vars: Record<string, unknown>; varsAt: Locator | undefined } = { vars: {}, varsAt: undefined };
    if (Array.isArray(doc.value)) {
      steps = doc.value as unknown[];
      stepsAt = doc.at;
    } else if (isPlainObject(doc.value)) {
      const map = doc.value;
      this.#checkRootKeys(map, doc.at);
      if (map['vars'] !== undefined && !isPlainObject(map['vars'])) this.errors.push(shapeError('vars', 'a map', doc.at.child('vars')));
      const name = map['name'];
      if (name !== undefined && (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))) {
        this.errors.push(shapeError('name', 'a name of letters, digits, ".", "_" and "-"', doc.at.child('name')));
      }
      out = {
        ...(typeof name === 'string' ? { name } : {}),
        vars: isPlainObject(map['vars']) ? map['vars'] : {},
        varsAt: isPlainObject(map['vars']) ? doc.at.child('vars') : undefined,
      };
      if (!Array.isArray(map['steps'])) {
        this.errors.push(shapeError('steps', 'a list of steps', doc.at.child('steps')));
        return out;
      }
      steps = map['steps'] as unknown[];
      stepsAt = doc.at.child('steps');
    } else {
      this.errors.push(new ConfigError('RS_CONFIG_E0004', 'Invalid steps document: expected a list of steps or a map with steps:', { location: doc.at.location() }));
      return out;
    }
    this.#stack.push({ file, site: undefined });
    this.#readSteps(steps, stepsAt, path.dirname(file));
    this.#stack.pop();
    return out;
  }

  #checkRootKeys(map: Record<string, unknown>, at: Locator): void {
    for (const key of Object.keys(map)) {
      if (ROOT_KEYS.includes(key)) continue;
      this.errors.push(
        new ConfigError('RS_CONFIG_E0003', `Unknown key "${key}" in the steps document`, {
          location: at.child(key).keyLocation(),
          hint: `Allowed keys: ${ROOT_KEYS.join(', ')}`,
        }),
      );
    }
  }

  #parse(file: string, chain: readonly string[]): { value: unknown; at: Locator } | undefined {
    const text = this.#options.files.readText(file);
    if (text === undefined) {
      this.errors.push(new ConfigError('RS_CONFIG_E0002', `Cannot read steps file "${this.#display(file)}": it does not exist`));
      return undefined;
    }
    const display = this.#display(file);
    this.texts.set(display, text);
    try {
      const { documents } = SourceFile.parse(display, text, chain);
      const first = documents[0];
      if (first === undefined) return { value: [], at: new Locator(SourceFile.parse(display, '[]', chain).source, '/0') };
      return { value: first.value, at: new Locator(first.source, `/${first.index}`) };
    } catch (error) {
      this.errors.push(...(error instanceof RunestoneAggregateError ? error.errors : [error as RunestoneError]));
      return undefined;
    }
  }

  #display(file: string): string {
    const relative = path.relative(this.#options.cwd, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  }

  #readSteps(steps: readonly unknown[], at: Locator, dir: string): void {
    steps.forEach((raw, i) => {
      const stepAt = at.child(i);
      if (!isPlainObject(raw)) {
        this.errors.push(shapeError(`step [${i}]`, 'a map with one action key', stepAt));
        return;
      }
      const actions = STEP_ACTIONS.filter((action) => action in raw);
      if (actions.length !== 1) {
        this.errors.push(
          new ConfigError('RS_CONFIG_E0004', actions.length === 0 ? 'Invalid step: it has no action key' : `Invalid step: it has ${actions.length} action keys (${actions.join(', ')}); a step has exactly one`, {
            location: (actions.length === 0 ? stepAt : stepAt.child(actions[1] ?? '')).keyLocation(),
            hint: `Give each step exactly one of ${STEP_ACTIONS.join(', ')}`,
          }),
        );
        return;
      }
      const issues = checkStep(raw);
      if (issues.length > 0) {
        this.errors.push(...issuesToErrors(issues, raw, stepAt, 'the step'));
        return;
      }
      const action = actions[0] as StepActionName;
      if (action === 'include' || action === 'include_vars' || action === 'vars') {
        const extra = Object.keys(raw).filter((key) => key !== action && key !== 'name');
        if (extra.length > 0) {
          this.errors.push(
            new ConfigError('RS_CONFIG_E0004', `Invalid ${action} step: "${extra[0] ?? ''}" is not allowed here; only name is`, {
              location: stepAt.child(extra[0] ?? '').keyLocation(),
              hint: `Put ${extra[0] ?? 'it'} on the steps themselves`,
            }),
          );
          return;
        }
      }
      switch (action) {
        case 'include':
          this.#include(String(raw['include']), stepAt.child('include'), dir);
          return;
        case 'include_vars':
          this.#includeVars(String(raw['include_vars']), stepAt.child('include_vars'), dir);
          return;
        case 'vars':
          this.items.push({ kind: 'vars', layer: 'file', values: raw['vars'] as Record<string, unknown>, at: stepAt.child('vars') });
          return;
        default:
          this.items.push({ kind: 'step', action, step: raw, at: stepAt, dir });
      }
    });
  }

  #include(relative: string, at: Locator, dir: string): void {
    const file = path.resolve(dir, relative);
    const site = formatLocation({ ...at.location(), chain: [] });
    const open = this.#stack.findIndex((frame) => frame.file === file);
    if (open >= 0 || this.#stack.length >= MAX_INCLUDE_DEPTH) {
      // The chain from the file that is included again, through every include site, back to it.
      const loop = this.#stack.slice(Math.max(open, 0)).slice(1).map((frame) => frame.site ?? '');
      const chain = [...loop, site, this.#display(file)].join(' -> ');
      this.errors.push(
        new ConfigError('RS_CONFIG_E0013', open >= 0 ? `Include cycle: ${chain}` : `Includes nest deeper than ${MAX_INCLUDE_DEPTH}: ${chain}`, {
          location: at.location(),
          hint: 'Remove one include on the cycle',
        }),
      );
      return;
    }
    const chain = [...(at.location().chain ?? []), site];
    const doc = this.#parse(file, chain);
    if (doc === undefined) return;
    let steps: unknown;
    let stepsAt = doc.at;
    if (isPlainObject(doc.value)) {
      const extra = Object.keys(doc.value).filter((key) => key !== 'steps');
      if (extra.length > 0) {
        this.errors.push(
          new ConfigError('RS_CONFIG_E0004', `Invalid included steps file: "${extra[0] ?? ''}" is not allowed in an included file`, {
            location: doc.at.child(extra[0] ?? '').keyLocation(),
            hint: 'An included file holds steps only (a list, or a map with steps:); put variables in a vars: step',
          }),
        );
        return;
      }
      steps = doc.value['steps'];
      stepsAt = doc.at.child('steps');
    } else {
      steps = doc.value;
    }
    if (!Array.isArray(steps)) {
      this.errors.push(shapeError('the included file', 'a list of steps', stepsAt));
      return;
    }
    this.#stack.push({ file, site });
    this.#readSteps(steps, stepsAt, path.dirname(file));
    this.#stack.pop();
  }

  #includeVars(relative: string, at: Locator, dir: string): void {
    const file = path.resolve(dir, relative);
    const doc = this.#parse(file, [...(at.location().chain ?? []), formatLocation({ ...at.location(), chain: [] })]);
    if (doc === undefined) return;
    if (!isPlainObject(doc.value)) {
      this.errors.push(shapeError('the include_vars file', 'a map of variable names to values', doc.at));
      return;
    }
    this.items.push({ kind: 'vars', layer: 'include_vars', values: doc.value, at: doc.at });
  }
}

function shapeError(what: string, expected: string, at: Locator): ConfigError {
  return new ConfigError('RS_CONFIG_E0004', `Invalid value for ${what}: expected ${expected}`, { location: at.location() });
}

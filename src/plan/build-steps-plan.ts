import { createHash } from 'node:crypto';
import path from 'node:path';
import { asNodeId, type NodeId } from '../core/brands.ts';
import { ConfigError, isRunestoneError, PlanError, RunestoneAggregateError, type RunestoneError } from '../core/errors.ts';
import { isPlainObject, stableStringify } from '../core/json.ts';
import { issuesToErrors, type ConfigFiles, type Locator, type StepsConfig, type StepsItem } from '../config/index.ts';
import { toCel } from '../expr/index.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { BuiltPlan } from './build-plan.ts';
import { evaluateString, evaluateValue } from './draft-value.ts';
import type { DeferredValue, PlanEdge, PlanNode, PlanValue, ProviderInstanceConfig } from './ir.ts';
import { compileAction, toSeconds } from './step-actions.ts';

/** What compiling a steps document needs besides the document. */
export interface BuildStepsPlanOptions {
  readonly registry: ProviderRegistry;
  readonly files: ConfigFiles;
  /** `--var` values (strings, read as YAML scalars) over `--var-file` values: the highest layer. */
  readonly cliVars?: Readonly<Record<string, unknown>>;
  /** Read-only facts about the machine; the lowest layer, and also under `facts`. */
  readonly facts?: Readonly<Record<string, unknown>>;
  /** `--tags`: keep only steps with one of these tags (empty: every step). */
  readonly tags?: readonly string[];
  /** `--skip-tags`: drop steps with one of these tags. */
  readonly skipTags?: readonly string[];
}

type Step = Extract<StepsItem, { kind: 'step' }>;

/** Fields parsed and validated but not carried out yet: a plan error when used. */
const NOT_YET: readonly { readonly key: string; readonly isUsed: (value: unknown) => boolean }[] = [
  { key: 'become', isUsed: (v) => v === true },
  { key: 'become_user', isUsed: (v) => v !== undefined },
  { key: 'changed_when', isUsed: (v) => v !== undefined },
  { key: 'failed_when', isUsed: (v) => v !== undefined },
];

/**
 * Compiles a steps document into the plan IR, the same one stacks compile to: each step
 * (each loop item) becomes one host node whose id is `kind.stepid` or `kind.stepid[i]`, and
 * depends on the node before it (edge reason `order`), so the executor runs them in order.
 * `when`, loops and tag filters are settled here, at plan time. Variable precedence, lowest
 * first: facts, the document's `vars` and `vars:` steps, `include_vars` files, `--var`.
 * Throws every error found (an aggregate), each located in the YAML.
 */
export function buildStepsPlan(config: StepsConfig, options: BuildStepsPlanOptions): BuiltPlan {
  const errors: RunestoneError[] = [];
  const facts = options.facts ?? {};
  const cli = options.cliVars ?? {};
  const fileVars: Record<string, unknown> = {};
  const includeVars: Record<string, unknown> = {};
  const declared = (): Record<string, unknown> => ({ ...fileVars, ...includeVars, ...cli });
  const plain = (): Record<string, unknown> => ({ ...facts, facts, ...declared() });
  const celScope = (extra: Record<string, unknown> = {}): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ ...plain(), ...extra })) out[key] = toCel(value);
    return out;
  };
  // Root vars may use facts, --var values and the vars above them.
  if (config.varsAt !== undefined) {
    for (const [name, raw] of Object.entries(config.vars)) {
      attempt(errors, () => {
        fileVars[name] = evaluateValue(raw, config.varsAt?.child(name) as Locator, celScope(), { forbidReason: 'vars' });
      });
    }
  }
  const nodes: PlanNode[] = [];
  // Credential-like request header values (Authorization, tokens) are redacted at every output boundary.
  const secrets = new Set<string>();
  const ids = new Map<string, Locator>();
  // Registered name → the node whose result it names (commands only, for now).
  const registered = new Map<string, NodeId>();
  let previous: NodeId | undefined;
  let position = 0;
  for (const item of config.items) {
    if (item.kind === 'vars') {
      const layer = item.layer === 'file' ? fileVars : includeVars;
      for (const [name, raw] of Object.entries(item.values)) {
        attempt(errors, () => {
          layer[name] = evaluateValue(raw, item.at.child(name), celScope(), { forbidReason: 'vars' });
        });
      }
      continue;
    }
    position += 1;
    attempt(errors, () => {
      const stepId = stepIdOf(item, position);
      const seen = ids.get(stepId);
      if (seen !== undefined) {
        const where = seen.location();
        throw new PlanError('RS_PLAN_E0003', `Duplicate step id "${stepId}": already used at ${where.file}:${where.line}:${where.column}`, {
          location: (item.step['id'] === undefined ? item.at.child('name') : item.at.child('id')).location(),
          hint: 'Give one of the steps a unique id: (or name:)',
        });
      }
      ids.set(stepId, item.at);
      if (!isSelected(item, options)) return;
      for (const { key, isUsed } of NOT_YET) {
        if (isUsed(item.step[key])) {
          throw new ConfigError('RS_CONFIG_E0014', `Cannot plan step "${stepId}": ${key} is not supported yet`, {
            location: item.at.child(key).keyLocation(),
            hint: `Remove ${key} from the step`,
          });
        }
      }
      const instances = loopInstances(item, celScope(), options.files);
      const register = typeof item.step['register'] === 'string' ? item.step['register'] : undefined;
      if (register !== undefined && ((item.action !== 'shell' && item.action !== 'command') || instances.length !== 1 || item.step['with_items'] !== undefined)) {
        throw new ConfigError('RS_CONFIG_E0014', `Cannot plan step "${stepId}": register is supported on shell and command steps without a loop only, not yet here`, {
          location: item.at.child('register').keyLocation(),
          hint: 'Register the result of a shell or command step',
        });
      }
      const retries = typeof item.step['retries'] === 'number' ? item.step['retries'] : 0;
      const retry = retries > 0 ? { count: retries, delayMs: Math.round((toSeconds(item.step['retry_delay']) ?? 1) * 1000) } : undefined;
      if (retry === undefined && item.step['retry_delay'] !== undefined) {
        throw new ConfigError('RS_CONFIG_E0004', `Invalid step "${stepId}": retry_delay without retries`, { location: item.at.child('retry_delay').keyLocation(), hint: 'Add retries: N (N > 0), or remove retry_delay' });
      }
      instances.forEach((vars, index) => {
        const scope = celScope(vars);
        const condition = conditionOf(item, scope, registered);
        if (condition === false) return;
        const evaluated = evaluateValue(withoutLoopKeys(item.step), item.at, scope, { forbidReason: 'steps' }) as Record<string, unknown>;
        const action = compileAction(item, evaluated, { baseDir: config.baseDir, templateVars: { ...declared(), ...vars } });
        for (const value of headerValues(action.properties)) secrets.add(value);
        const suffix = item.step['with_items'] !== undefined || item.step['with_filetree'] !== undefined ? `[${index}]` : '';
        const id = asNodeId(`${action.kind}.${stepId}${suffix}`);
        const issues = options.registry.checkProperties(action.kind, action.properties);
        if (issues.length > 0) throw new RunestoneAggregateError(issuesToErrors(issues, action.properties, action.at, `step "${stepId}"`));
        const origin = item.at.location();
        const edges: PlanEdge[] = previous === undefined ? [] : [{ to: previous, reason: 'order', origin }];
        if (condition !== true) for (const to of condition.refs) edges.push({ to, reason: 'reference', origin: condition.location });
        nodes.push({
          id,
          kind: action.kind,
          name: `${stepId}${suffix}`,
          provider: 'host',
          origin,
          properties: action.properties as Record<string, PlanValue>,
          edges,
          driftPolicy: { autoHeal: true, notifyOnly: false },
          adopt: false,
          ...(condition === true ? {} : { when: condition }),
          ...(retry === undefined ? {} : { retry }),
        });
        previous = id;
        if (register !== undefined) registered.set(register, id);
      });
    });
  }
  if (errors.length > 0) throw new RunestoneAggregateError(errors);
  const providers: ProviderInstanceConfig[] = [{ name: 'host', type: 'host', config: {} }];
  return {
    plan: {
      stack: `${config.name}/default`,
      project: config.name,
      environment: 'default',
      baseDir: config.baseDir,
      nodes,
      outputs: [],
      providers,
      secrets: [...secrets].sort(),
      configHash: hashSteps(config, { vars: cli, tags: options.tags ?? [], skipTags: options.skipTags ?? [] }),
      keepsUndeclared: true,
    },
    warnings: [],
  };
}

/** The values of credential-like headers (Authorization, *token*, *key*, ...) of a download or an http assertion. */
function headerValues(properties: Readonly<Record<string, unknown>>): string[] {
  const http = properties['http'];
  const headers = properties['headers'] ?? (isPlainObject(http) ? http['headers'] : undefined);
  if (!isPlainObject(headers)) return [];
  return Object.entries(headers)
    .filter(([name, value]) => /auth|token|key|secret|password|cookie/i.test(name) && typeof value === 'string' && value !== '')
    .map(([, value]) => String(value));
}

function attempt(errors: RunestoneError[], run: () => void): void {
  try {
    run();
  } catch (error) {
    if (error instanceof RunestoneAggregateError) errors.push(...error.errors);
    else if (isRunestoneError(error)) errors.push(error);
    else throw error;
  }
}

/** The step's id: `id:`, else its name lower-cased with runs of other characters as `-`, else `<action>-<position>`. */
function stepIdOf(item: Step, position: number): string {
  if (typeof item.step['id'] === 'string') return item.step['id'];
  const name = typeof item.step['name'] === 'string' ? item.step['name'] : '';
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug === '' ? `${item.action}-${position}` : slug;
}

function isSelected(item: Step, options: BuildStepsPlanOptions): boolean {
  const tags = Array.isArray(item.step['tags']) ? (item.step['tags'] as string[]) : [];
  if ((options.tags ?? []).length > 0 && !tags.some((tag) => options.tags?.includes(tag))) return false;
  return !tags.some((tag) => options.skipTags?.includes(tag));
}

/** Loop variables per instance: one empty set for a step without a loop. */
function loopInstances(item: Step, scope: Record<string, unknown>, files: ConfigFiles): Record<string, unknown>[] {
  const withItems = item.step['with_items'];
  const withTree = item.step['with_filetree'];
  let list: unknown[];
  if (withItems !== undefined) {
    const at = item.at.child('with_items');
    const value = typeof withItems === 'string' ? evaluateString(asExpression(withItems), at, scope, { forbidReason: 'with_items' }) : evaluateValue(withItems, at, scope, { forbidReason: 'with_items' });
    if (!Array.isArray(value)) {
      throw new PlanError('RS_PLAN_E0004', `Invalid with_items: expected a list, found ${value === null ? 'null' : typeof value}`, { location: at.location() });
    }
    list = value as unknown[];
  } else if (typeof withTree === 'string') {
    const at = item.at.child('with_filetree');
    const given = evaluateString(withTree, at, scope, { forbidReason: 'with_filetree' });
    if (typeof given !== 'string') throw new PlanError('RS_PLAN_E0004', `Invalid with_filetree: expected a directory path, found ${JSON.stringify(given)}`, { location: at.location() });
    const dir = path.resolve(item.dir, given);
    if (!files.isDirectory(dir) || files.listTree === undefined) {
      throw new PlanError('RS_PLAN_E0004', `Invalid with_filetree: "${withTree}" is not a directory`, { location: at.location(), hint: 'Give a directory relative to this steps file' });
    }
    list = files.listTree(dir).map((entry) => ({
      src: path.join(dir, entry.path),
      path: entry.path,
      name: path.posix.basename(entry.path),
      is_dir: entry.isDirectory,
      state: entry.isDirectory ? 'directory' : 'file',
    }));
  } else {
    return [{}];
  }
  return list.map((value, index) => ({ item: value, index, first: index === 0, last: index === list.length - 1 }));
}

function withoutLoopKeys(step: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(step)) if (!['with_items', 'with_filetree', 'when', 'tags', 'name'].includes(key)) out[key] = value;
  return out;
}

/** A `when:` may be written bare (`os == "linux"`) or as `${...}`. */
function asExpression(raw: string): string {
  return raw.includes('${') ? raw : `\${${raw}}`;
}

/**
 * A step's `when`: decided now (`true`/`false`) from facts and variables, or, when it reads a
 * registered result, a deferred condition the executor evaluates once that step has run.
 */
function conditionOf(item: Step, scope: Record<string, unknown>, registered: ReadonlyMap<string, NodeId>): boolean | DeferredValue {
  const when = item.step['when'];
  if (when === undefined) return true;
  if (typeof when !== 'string') return when === true;
  const at = item.at.child('when');
  const source = asExpression(when);
  const reads = namesIn(source).filter((name) => registered.has(name));
  if (reads.length === 0) return checkCondition(evaluateString(source, at, scope, { forbidReason: 'when' }), at);
  const refs = reads.map((name) => registered.get(name) as NodeId);
  return {
    kind: 'deferred',
    source: when,
    refs,
    location: at.location(),
    evaluate: (lookup) => {
      const results: Record<string, unknown> = {};
      for (const [i, name] of reads.entries()) {
        const attributes = lookup(refs[i] as NodeId);
        if (attributes === undefined) return undefined;
        results[name] = toCel(registeredResult(attributes));
      }
      return checkCondition(evaluateString(source, at, { ...scope, ...results }, { forbidReason: 'when' }), at);
    },
  };
}

function checkCondition(value: unknown, at: Locator): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError('RS_CONFIG_E0004', `Invalid value for when: expected a boolean, found ${JSON.stringify(value)}`, { location: at.location() });
  }
  return value;
}

/**
 * What `register` gives later `when`s, from a command's attributes: `rc`, `stdout`, `stderr`,
 * `changed` (it ran during this commit) and `failed`. A failing command stops the steps after
 * it, so a registered result a later step sees never failed.
 */
function registeredResult(attributes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const ran = typeof attributes['exit_code'] === 'number';
  return {
    rc: ran ? attributes['exit_code'] : 0,
    stdout: typeof attributes['stdout'] === 'string' ? attributes['stdout'] : '',
    stderr: typeof attributes['stderr'] === 'string' ? attributes['stderr'] : '',
    changed: ran,
    failed: false,
  };
}

// Top-level names an expression reads (not fields after a dot, not inside string literals).
function namesIn(source: string): string[] {
  const code = source.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return [...code.matchAll(/(?<![.\w])([A-Za-z_]\w*)/g)].map((match) => match[1] ?? '');
}

function hashSteps(config: StepsConfig, vars: Readonly<Record<string, unknown>>): string {
  const hash = createHash('sha256');
  for (const [file, text] of [...config.files].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${file}\0${text}\0`);
  hash.update(stableStringify(vars));
  return hash.digest('hex');
}


import { createHash } from 'node:crypto';
import path from 'node:path';
import type { NodeId } from '../core/brands.ts';
import { ConfigError, isRunestoneError, PlanError, RunestoneAggregateError, type RunestoneError } from '../core/errors.ts';
import { isPlainObject, stableStringify, type JsonObject } from '../core/json.ts';
import { didYouMean, issuesToErrors, type ConfigFiles, type ModuleDecl, type ModuleDirResolver, type StackConfig } from '../config/index.ts';
import { RESERVED_NAMES, toCel } from '../expr/index.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import { compileSchema } from '../schema/index.ts';
import { assertAcyclic } from './dag.ts';
import { evaluateValue, isPending, type DraftValue } from './draft-value.ts';
import { expandBlocks, type DraftNode, type ExpandContext } from './expand-blocks.ts';
import type { Plan, PlanEdge, PlanNode, PlanOutput, PlanValue, ProviderInstanceConfig } from './ir.ts';
import { Namespace, resolveDraft, targetIds } from './namespace.ts';
import { reservedName, type Scope } from './scope.ts';
import { resolveVariables, type VariableOverrides } from './variables.ts';

/** What building a plan needs besides the config. */
export interface BuildPlanOptions {
  readonly registry: ProviderRegistry;
  readonly overrides?: VariableOverrides;
  readonly files: ConfigFiles;
  readonly cwd: string;
  /** Where a module's files are; default: local sources relative to the declaring file. */
  readonly resolveModuleDir?: ModuleDirResolver;
}

/** A plan plus the warnings found while building it. */
export interface BuiltPlan {
  readonly plan: Plan;
  readonly warnings: readonly RunestoneError[];
}

/**
 * Expands a validated stack into the plan IR: variables, loops, modules, references,
 * edges, provider instances and outputs. Pure apart from reading module files through
 * `files`. Throws every error found (an aggregate), each located in the YAML.
 */
export function buildPlan(config: StackConfig, options: BuildPlanOptions): BuiltPlan {
  const variables = resolveVariables(config, options.overrides ?? {});
  const globals = new Map<string, string>([
    ['project', 'the stack'],
    ['environment', 'the stack'],
  ]);
  for (const decl of config.variables.values()) {
    const where = decl.at.keyLocation();
    if (RESERVED_NAMES.has(decl.name)) throw reservedName('variable', decl.name, where);
    globals.set(decl.name, `${where.file}:${where.line}:${where.column}`);
  }
  const base: Record<string, unknown> = { project: config.project, environment: config.environment };
  const values: Record<string, unknown> = { ...base };
  for (const decl of config.variables.values()) {
    // Variables may use project and environment, not each other (no ordering to guess).
    values[decl.name] = toCel(evaluateValue(variables.values[decl.name], decl.at, toCel(base) as Record<string, unknown>, { forbidReason: 'variables' }));
  }
  const scope: Scope = { values: toCel(values) as Record<string, unknown>, globals };
  const ctx: ExpandContext = {
    registry: options.registry,
    modules: config.modules,
    files: options.files,
    cwd: options.cwd,
    resolveModuleDir: options.resolveModuleDir ?? resolveLocalModule,
    nodes: [],
    ids: new Map(),
    errors: [],
    warnings: [...variables.warnings],
    moduleTexts: new Map(),
    definitions: new Map(),
  };
  const root = new Namespace('');
  expandBlocks(config.resources, root, scope, ctx, [], false);
  const nodes: PlanNode[] = [];
  for (const draft of ctx.nodes) {
    try {
      nodes.push(finishNode(draft, options.registry));
    } catch (error) {
      collect(error, ctx.errors);
    }
  }
  const providers = collectErrors(ctx.errors, () => buildProviders(config, nodes, scope, options.registry)) ?? [];
  const outputs = collectErrors(ctx.errors, () => buildOutputs(config, scope, root)) ?? [];
  if (ctx.errors.length > 0) throw new RunestoneAggregateError(ctx.errors);
  addImpliedEdges(nodes, options.registry);
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  assertAcyclic(nodes);
  const secrets = collectSecretStrings(variables.secrets.map((name) => variables.values[name]));
  for (const output of outputs) if (output.secret && !isDeferredTree(output.value)) secrets.push(...collectSecretStrings([output.value]));
  return {
    plan: {
      stack: `${config.project}/${config.environment}`,
      project: config.project,
      environment: config.environment,
      baseDir: config.baseDir,
      nodes,
      outputs,
      providers,
      secrets,
      configHash: hashConfig(config, variables.values, ctx.moduleTexts),
    },
    warnings: ctx.warnings,
  };
}

// Edges a provider type derives from its kinds (e.g. Kubernetes: namespace before contents),
// added to the dependent node unless an edge to that node is already there.
function addImpliedEdges(nodes: PlanNode[], registry: ProviderRegistry): void {
  const index = new Map(nodes.map((node, i) => [node.id as string, i]));
  for (const type of registry.types()) {
    if (type.impliedEdges === undefined) continue;
    const mine = nodes.filter((node) => ProviderRegistry.typeOfKind(node.kind) === type.type);
    if (mine.length === 0) continue;
    for (const { from, to } of type.impliedEdges(mine)) {
      const i = index.get(from);
      const node = i === undefined ? undefined : nodes[i];
      if (i === undefined || node === undefined || !index.has(to) || node.edges.some((e) => e.to === to)) continue;
      nodes[i] = { ...node, edges: [...node.edges, { to: to as NodeId, reason: 'kind', origin: node.origin }] };
    }
  }
}

function resolveLocalModule(decl: ModuleDecl): string {
  return path.resolve(decl.baseDir, decl.source);
}

function collect(error: unknown, errors: RunestoneError[]): void {
  if (error instanceof RunestoneAggregateError) errors.push(...error.errors);
  else if (isRunestoneError(error)) errors.push(error);
  else throw error;
}

function collectErrors<T>(errors: RunestoneError[], build: () => T): T | undefined {
  try {
    return build();
  } catch (error) {
    collect(error, errors);
    return undefined;
  }
}

function finishNode(draft: DraftNode, registry: ProviderRegistry): PlanNode {
  const edges: PlanEdge[] = [];
  const seen = new Set<string>();
  const addEdge = (edge: PlanEdge): void => {
    const key = `${edge.to}|${edge.reason}`;
    if (edge.to === draft.id && edge.reason !== 'reference') return;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push(edge);
  };
  const properties = toPlanValue(draft.properties, draft.namespace, addEdge) as Record<string, PlanValue>;
  for (const dep of draft.dependsOn) for (const to of resolveAddress(dep)) addEdge({ to, reason: 'explicit', origin: dep.at.location() });
  for (const dep of draft.inherited) for (const to of resolveAddress(dep)) addEdge({ to, reason: 'module', origin: dep.at.location() });
  const errors = checkProperties(draft, properties, registry);
  if (errors.length > 0) throw new RunestoneAggregateError(errors);
  return {
    id: draft.id,
    kind: draft.kind,
    name: draft.name,
    provider: draft.provider,
    origin: draft.origin,
    locate: (pointer) => draft.propertiesAt.at(pointer).location(),
    properties,
    edges,
    driftPolicy: draft.driftPolicy,
    adopt: draft.adopt,
    ...(draft.module === undefined ? {} : { module: draft.module }),
  };
}

function toPlanValue(value: DraftValue, namespace: Namespace, addEdge: (edge: PlanEdge) => void): PlanValue {
  if (isPending(value)) {
    const refs = new Set<NodeId>();
    for (const ref of value.references) {
      for (const id of targetIds(namespace.resolve(ref))) {
        refs.add(id);
        addEdge({ to: id, reason: 'reference', origin: ref.location });
      }
    }
    const pending = value;
    return {
      kind: 'deferred',
      source: value.template.raw,
      refs: [...refs],
      location: value.location,
      evaluate: (lookup) => resolveDraft(pending, namespace, lookup),
    };
  }
  if (Array.isArray(value)) return (value as readonly DraftValue[]).map((item) => toPlanValue(item, namespace, addEdge));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, PlanValue> = {};
    for (const [key, item] of Object.entries(value as Record<string, DraftValue>)) out[key] = toPlanValue(item, namespace, addEdge);
    return out;
  }
  return value;
}

function resolveAddress(dep: DraftNode['dependsOn'][number]): NodeId[] {
  const addresses = dep.namespace.addresses();
  const exact = addresses.get(dep.address);
  if (exact !== undefined) return targetIds(exact);
  const prefix = dep.namespace.path === '' ? '' : `${dep.namespace.path}/`;
  const full = `${prefix}${dep.address}`;
  const byId = dep.namespace.nodeIds.filter((id) => id === full || (dep.address.startsWith('module:') && id.startsWith(`${full}.`)));
  if (byId.length > 0) return byId;
  if (dep.address.startsWith('module:')) {
    const instances = [...addresses.entries()].filter(([address]) => address.startsWith(`${dep.address}.`));
    if (instances.length > 0) return instances.flatMap(([, target]) => targetIds(target));
  }
  const suggestion = didYouMean(dep.address, [...addresses.keys()]);
  throw new PlanError('RS_PLAN_E0002', `Cannot resolve depends_on "${dep.address}": no such resource${dep.namespace.path === '' ? '' : ` in ${dep.namespace.path}`}`, {
    location: dep.at.location(),
    hint: suggestion === undefined ? 'Write an address as kind.name, e.g. host:file.motd, or module:<name>' : `Did you mean "${suggestion}"?`,
  });
}

// Deferred values are only known at commit. Schema checks see each as a null placeholder, so
// the key still counts as present (`required`, `oneOf: [{required: [content]}, ...]`), and
// drop what is said about the value itself.
function checkProperties(draft: DraftNode, properties: Record<string, PlanValue>, registry: ProviderRegistry): RunestoneError[] {
  const deferredPaths: string[] = [];
  const stripped = stripDeferred(properties, '', deferredPaths);
  const issues = registry.checkProperties(draft.kind, stripped).filter((issue) => {
    if (issue.keyword === 'additionalProperties') return true;
    const full = issue.keyword === 'required' ? `${issue.pointer}/${issue.key ?? ''}` : issue.pointer;
    return !deferredPaths.some((p) => full === p || full.startsWith(`${p}/`));
  });
  return issuesToErrors(issues, stripped, draft.propertiesAt, `properties of ${draft.kind}`);
}

function stripDeferred(value: PlanValue, pointer: string, paths: string[]): unknown {
  if (isDeferred(value)) {
    paths.push(pointer);
    return null;
  }
  if (Array.isArray(value)) return (value as readonly PlanValue[]).map((item, i) => stripDeferred(item, `${pointer}/${i}`, paths));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, PlanValue>)) out[key] = stripDeferred(item, `${pointer}/${key}`, paths);
    return out;
  }
  return value;
}

/** True for a deferred leaf. */
export function isDeferred(value: unknown): value is Extract<PlanValue, { kind: 'deferred' }> {
  return isPlainObject(value) && value['kind'] === 'deferred' && typeof value['evaluate'] === 'function';
}

function isDeferredTree(value: PlanValue): boolean {
  if (isDeferred(value)) return true;
  if (Array.isArray(value)) return (value as readonly PlanValue[]).some(isDeferredTree);
  if (value !== null && typeof value === 'object') return Object.values(value as Record<string, PlanValue>).some(isDeferredTree);
  return false;
}

function buildProviders(config: StackConfig, nodes: readonly PlanNode[], scope: Scope, registry: ProviderRegistry): ProviderInstanceConfig[] {
  const out = new Map<string, ProviderInstanceConfig>();
  const errors: RunestoneError[] = [];
  for (const decl of config.providers) {
    const type = registry.type(decl.type);
    if (type === undefined) {
      const suggestion = didYouMean(decl.type, registry.types().map((t) => t.type));
      errors.push(
        new ConfigError('RS_CONFIG_E0011', `Unknown provider type "${decl.type}" for provider "${decl.name}"`, {
          location: decl.at.keyLocation(),
          hint: suggestion === undefined ? `Known providers: ${registry.types().map((t) => t.type).join(', ')}` : `Did you mean "${suggestion}"?`,
        }),
      );
      continue;
    }
    const config1 = evaluateValue(decl.config, decl.at, scope.values, { forbidReason: 'provider configuration' }) as Record<string, unknown>;
    const issues = compileSchema(type.configSchema)(config1);
    if (issues.length > 0) {
      errors.push(...issuesToErrors(issues, config1, decl.at, `provider "${decl.name}"`));
      continue;
    }
    out.set(decl.name, { name: decl.name, type: decl.type, config: config1 as JsonObject, origin: decl.at.location() });
  }
  for (const node of nodes) {
    if (out.has(node.provider) || config.providers.some((p) => p.name === node.provider)) continue;
    const type = registry.type(node.provider);
    const issues = type === undefined ? [] : compileSchema(type.configSchema)({});
    if (type === undefined || issues.length > 0) {
      errors.push(
        new ConfigError('RS_CONFIG_E0011', `Cannot find provider "${node.provider}" for ${node.id}`, {
          location: node.origin,
          hint: type === undefined ? 'Declare it under providers:' : `Declare providers.${node.provider} with its required settings`,
        }),
      );
      continue;
    }
    out.set(node.provider, { name: node.provider, type: type.type, config: {} });
  }
  // Some types always get an instance, so their discovery finds what the stack still owns
  // after every resource of that type left the config (declared providers discover too).
  for (const type of registry.types()) {
    if (type.alwaysInstantiated !== true || out.has(type.type) || config.providers.some((p) => p.name === type.type)) continue;
    out.set(type.type, { name: type.type, type: type.type, config: {} });
  }
  if (errors.length > 0) throw new RunestoneAggregateError(errors);
  return [...out.values()];
}

function buildOutputs(config: StackConfig, scope: Scope, root: Namespace): PlanOutput[] {
  return config.outputs.map((output) => ({
    name: output.name,
    value: toPlanValue(evaluateValue(output.value, output.at, scope.values, 'allow'), root, () => undefined),
    secret: output.secret,
    origin: output.at.location(),
  }));
}

function collectSecretStrings(values: readonly unknown[]): string[] {
  const out: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string' && value !== '') out.push(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  values.forEach(visit);
  return out;
}

function hashConfig(config: StackConfig, variables: Readonly<Record<string, unknown>>, modules: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const [file, text] of [...config.files, ...modules].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${file}\0${text}\0`);
  hash.update(stableStringify(variables));
  return hash.digest('hex');
}

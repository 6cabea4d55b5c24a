import { asNodeId, type NodeId } from '../core/brands.ts';
import { ConfigError, isRunestoneError, RunestoneAggregateError, type RunestoneError } from '../core/errors.ts';
import type { SourceLocation } from '../core/location.ts';
import {
  didYouMean,
  issuesToErrors,
  loadModuleDefinition,
  RESOURCE_SCHEMA,
  type ConfigFiles,
  type Locator,
  type ModuleDecl,
  type ModuleDefinition,
  type ModuleDirResolver,
  type ResourceBlock,
} from '../config/index.ts';
import { toCel } from '../expr/index.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import { compileSchema } from '../schema/index.ts';
import { evaluateString, evaluateValue, type DraftValue } from './draft-value.ts';
import type { DriftPolicy } from './ir.ts';
import { Namespace, type ModuleInstance, type Target } from './namespace.ts';
import { expandInstances, withVars, type Scope } from './scope.ts';

/** A resource instance after expansion, before references are resolved. */
export interface DraftNode {
  readonly id: NodeId;
  readonly kind: string;
  readonly name: string;
  readonly provider: string;
  readonly origin: SourceLocation;
  readonly properties: DraftValue;
  readonly propertiesAt: Locator;
  readonly dependsOn: readonly { readonly address: string; readonly at: Locator; readonly namespace: Namespace }[];
  /** depends_on of enclosing module instances, resolved in their namespaces. */
  readonly inherited: readonly { readonly address: string; readonly at: Locator; readonly namespace: Namespace }[];
  readonly namespace: Namespace;
  readonly driftPolicy: DriftPolicy;
  readonly adopt: boolean;
  readonly module?: string;
}

/** What expansion needs from outside. */
export interface ExpandContext {
  readonly registry: ProviderRegistry;
  readonly modules: ReadonlyMap<string, ModuleDecl>;
  readonly files: ConfigFiles;
  readonly cwd: string;
  readonly resolveModuleDir: ModuleDirResolver;
  readonly nodes: DraftNode[];
  readonly ids: Map<NodeId, SourceLocation>;
  readonly errors: RunestoneError[];
  readonly warnings: RunestoneError[];
  /** Module texts read, for the config hash. */
  readonly moduleTexts: Map<string, string>;
  readonly definitions: Map<string, ModuleDefinition>;
}

const checkResource = compileSchema(RESOURCE_SCHEMA);
const MAX_MODULE_DEPTH = 16;

/**
 * Expands resource blocks (count, for_each, when, names, modules) into draft nodes of
 * `namespace`, collecting errors per block so one bad block does not hide the others.
 */
export function expandBlocks(
  blocks: readonly ResourceBlock[],
  namespace: Namespace,
  scope: Scope,
  ctx: ExpandContext,
  inherited: DraftNode['inherited'],
  validateShape: boolean,
): void {
  for (const block of blocks) {
    try {
      if (validateShape) {
        const issues = checkResource(block.value);
        if (issues.length > 0) throw new RunestoneAggregateError(issuesToErrors(issues, block.value, block.at, 'the resource'));
      }
      expandBlock(block, namespace, scope, ctx, inherited);
    } catch (error) {
      if (error instanceof RunestoneAggregateError) ctx.errors.push(...error.errors);
      else if (isRunestoneError(error)) ctx.errors.push(error);
      else throw error;
    }
  }
}

function expandBlock(block: ResourceBlock, namespace: Namespace, scope: Scope, ctx: ExpandContext, inherited: DraftNode['inherited']): void {
  const value = block.value;
  const kind = String(value['kind']);
  const rawName = String(value['name']);
  const isModule = kind.startsWith('module:');
  if (!isModule && ctx.registry.kind(kind) === undefined) {
    const suggestion = didYouMean(kind, ctx.registry.allKinds().map((k) => k.kind));
    throw new ConfigError('RS_CONFIG_E0006', `Unknown resource kind "${kind}"`, {
      location: block.at.child('kind').location(),
      hint: suggestion === undefined ? 'Run `runestone schema --list` to see every kind' : `Did you mean "${suggestion}"?`,
    });
  }
  if (value['when'] !== undefined) {
    const when = evaluateValue(value['when'], block.at.child('when'), scope.values, { forbidReason: 'when' });
    if (typeof when !== 'boolean') {
      throw new ConfigError('RS_CONFIG_E0004', `Invalid value for when: expected a boolean, found ${JSON.stringify(when)}`, { location: block.at.child('when').location() });
    }
    if (!when) return;
  }
  const instances = expandInstances(value, block.at, scope, ctx.warnings);
  const isTemplated = rawName.includes('${');
  const isLoop = value['count'] !== undefined || value['for_each'] !== undefined;
  const group: { key: string; target: Target }[] = [];
  const prefix = namespace.path === '' ? '' : `${namespace.path}/`;
  for (const instance of instances) {
    const instanceScope = withVars(scope, instance.vars);
    const name = evaluateString(rawName, block.at.child('name'), instanceScope.values, { forbidReason: 'a name' });
    if (typeof name !== 'string' || name === '') {
      throw new ConfigError('RS_CONFIG_E0004', `Invalid resource name: expected a non-empty string, found ${JSON.stringify(name)}`, { location: block.at.child('name').location() });
    }
    const suffix = isTemplated ? '' : instance.suffix;
    const id = asNodeId(`${prefix}${kind}.${name}${suffix}`);
    const previous = ctx.ids.get(id);
    if (previous !== undefined) {
      throw new ConfigError('RS_PLAN_E0003', `Duplicate resource address "${id}": already declared at ${previous.file}:${previous.line}:${previous.column}`, {
        location: block.at.child('name').location(),
        hint: isLoop ? 'Use ${index}, ${key} or ${item} in the name so each instance is unique' : 'Give each resource of a kind a unique name',
      });
    }
    ctx.ids.set(id, block.at.child('name').location());
    const dependsOn = (Array.isArray(value['depends_on']) ? (value['depends_on'] as unknown[]) : []).map((address, i) => ({
      address: String(address),
      at: block.at.child('depends_on').child(i),
      namespace,
    }));
    let target: Target;
    if (isModule) {
      target = { kind: 'module', instance: expandModule(kind.slice('module:'.length), `${kind}.${name}${suffix}`, block, instanceScope, ctx, [...inherited, ...dependsOn], namespace) };
    } else {
      const policy = value['driftPolicy'] as Partial<DriftPolicy> | undefined;
      const provider = typeof value['provider'] === 'string' ? value['provider'] : ProviderRegistry.typeOfKind(kind);
      ctx.nodes.push({
        id,
        kind,
        name,
        provider,
        origin: block.at.location(),
        properties: evaluateValue(value['properties'] ?? {}, block.at.child('properties'), instanceScope.values, 'allow'),
        propertiesAt: block.at.child('properties'),
        dependsOn,
        inherited,
        namespace,
        driftPolicy: { autoHeal: policy?.autoHeal ?? true, notifyOnly: policy?.notifyOnly ?? false },
        adopt: value['adopt'] === true,
        ...(namespace.path === '' ? {} : { module: namespace.path }),
      });
      namespace.addNode(id);
      target = { kind: 'node', id };
    }
    if (isTemplated || !isLoop) namespace.declare(kind, name, target);
    else group.push({ key: instance.suffix.slice(1, -1), target });
  }
  if (!isTemplated && isLoop) {
    const isMap = group.some((g) => g.key.startsWith('"'));
    namespace.declare(
      kind,
      rawName,
      isMap ? { kind: 'map', items: group.map((g) => [JSON.parse(g.key) as string, g.target] as const) } : { kind: 'list', items: group.map((g) => g.target) },
    );
  }
}

function expandModule(
  moduleName: string,
  address: string,
  block: ResourceBlock,
  scope: Scope,
  ctx: ExpandContext,
  inherited: DraftNode['inherited'],
  parent: Namespace,
): ModuleInstance {
  const decl = ctx.modules.get(moduleName);
  if (decl === undefined) {
    const suggestion = didYouMean(moduleName, [...ctx.modules.keys()]);
    throw new ConfigError('RS_MODULE_E0001', `Unknown module "${moduleName}": it is not declared under modules:`, {
      location: block.at.child('kind').location(),
      hint: suggestion === undefined ? 'Declare it under modules: with a source' : `Did you mean "module:${suggestion}"?`,
    });
  }
  const path = parent.path === '' ? address : `${parent.path}/${address}`;
  if (path.split('/').length > MAX_MODULE_DEPTH) {
    throw new ConfigError('RS_MODULE_E0007', `Cannot expand module "${moduleName}": modules nest deeper than ${MAX_MODULE_DEPTH} (${path})`, {
      location: block.at.child('kind').location(),
      hint: 'A module probably uses itself; break the cycle',
    });
  }
  const useSite = block.at.child('kind').location();
  let definition = ctx.definitions.get(moduleName);
  if (definition === undefined) {
    definition = loadModuleDefinition(decl, { files: ctx.files, resolveDir: ctx.resolveModuleDir, useSite, cwd: ctx.cwd });
    ctx.definitions.set(moduleName, definition);
    ctx.moduleTexts.set(definition.file, definition.text);
  }
  if (block.value['properties'] !== undefined) {
    throw new ConfigError('RS_CONFIG_E0003', `Unknown key "properties" on module instance "${address}"`, {
      location: block.at.child('properties').keyLocation(),
      hint: 'Module instances take inputs:, not properties:',
    });
  }
  const defaults = evaluateValue(decl.inputs, decl.at.child('inputs'), scope.values, { forbidReason: 'module inputs' });
  const given = evaluateValue(block.value['inputs'] ?? {}, block.at.child('inputs'), scope.values, { forbidReason: 'module inputs' });
  const inputs = { ...(defaults as Record<string, unknown>), ...(given as Record<string, unknown>) };
  const issues = compileSchema(definition.inputSchema)(inputs);
  if (issues.length > 0) {
    throw new RunestoneAggregateError(issuesToErrors(issues, inputs, block.at.child('inputs'), `inputs of module "${moduleName}"`));
  }
  const namespace = new Namespace(path);
  const origin = `${useSite.file}:${useSite.line}:${useSite.column}`;
  const moduleScope: Scope = {
    values: { project: scope.values['project'], environment: scope.values['environment'], inputs: toCel(inputs) },
    globals: new Map([
      ['project', 'the stack'],
      ['environment', 'the stack'],
      ['inputs', origin],
    ]),
  };
  expandBlocks(definition.resources, namespace, moduleScope, ctx, inherited, true);
  const outputs = new Map<string, DraftValue>();
  for (const output of definition.outputs) outputs.set(output.name, evaluateValue(output.value, output.at, moduleScope.values, 'allow'));
  for (const id of namespace.nodeIds) parent.addNode(id);
  return { path, namespace, outputs };
}

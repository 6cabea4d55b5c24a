import { arch, hostname, platform, release, userInfo } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, RunestoneAggregateError, RunestoneError } from '../core/errors.ts';
import { isPlainObject } from '../core/json.ts';
import { loadStack, loadSteps, looksLikeSteps, type StackConfig, type StepsConfig } from '../config/index.ts';
import { checkManifests, checkTeamRules, compileManifest, displayPath, findingToError, isManifestFile, loadManifests, loadTeamRules, parseManifest, type Finding, type Manifest } from '../manifest/index.ts';
import { resolveRoots } from './manifest-roots.ts';
import { createModuleResolver } from '../modules/index.ts';
import { buildPlan, buildStepsPlan, type Plan, type VariableOverrides } from '../plan/index.ts';
import { BUILTIN_PROVIDER_TYPES } from '../providers/builtin.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import { NODE_FILES } from './node-files.ts';
import type { VerbContext } from './verb.ts';

/** Everything a verb needs about the stack it runs on. */
export interface StackContext {
  readonly config: StackConfig;
  readonly plan: Plan;
  readonly warnings: readonly RunestoneError[];
  readonly registry: ProviderRegistry;
  /** `.runestone/` beside the first config file: cache, modules. */
  readonly stateDir: string;
  /** Where host resources run when `--on` is not given (a manifest's service host). */
  readonly hostDefaults: HostDefaults | undefined;
  /** Set when `-f` named a steps document (then `config` is a stand-in with no resources). */
  readonly steps?: StepsConfig;
}

/** The inventory and targets a manifest's `service` block implies. */
export interface HostDefaults {
  /** The mesh hosts file (or `-i` inventory) that says how to reach the host. */
  readonly inventory: string;
  /** `service.host`. */
  readonly on: readonly string[];
}

/** A registry with every built-in provider type. */
export function createRegistry(): ProviderRegistry {
  return new ProviderRegistry(BUILTIN_PROVIDER_TYPES);
}

/** Loads, validates and plans the stack named by `-f` (default runestone.yaml). */
export function loadStackContext(ctx: VerbContext): StackContext {
  const stepsFile = findStepsFile(ctx);
  if (stepsFile !== undefined) return loadStepsContext(ctx, stepsFile);
  if (ctx.options.tags.length > 0 || ctx.options.skipTags.length > 0) {
    throw new RunestoneError('RS_CLI_E0002', `Invalid option ${ctx.options.tags.length > 0 ? '--tags' : '--skip-tags'}: it applies to steps documents only`, {
      hint: 'Pass one steps document with -f (see docs/steps.md), or use --target to limit a stack',
    });
  }
  const { config, warnings: manifestWarnings, hostDefaults } = loadConfig(ctx);
  const baseDir = path.resolve(ctx.cwd, config.baseDir);
  const stateDir = path.join(baseDir, '.runestone');
  const registry = createRegistry();
  const { plan, warnings } = buildPlan(config, {
    registry,
    files: NODE_FILES,
    cwd: ctx.cwd,
    overrides: readOverrides(ctx),
    resolveModuleDir: createModuleResolver({ lockDir: baseDir, stateDir }),
  });
  return { config, plan: { ...plan, baseDir }, warnings: [...manifestWarnings, ...warnings], registry, stateDir, hostDefaults };
}

/**
 * The steps document `-f` names, if it names one: a single file whose first YAML document is
 * a list or a map with `steps:` (see docs/steps.md). Any other `-f` is a stack or a manifest.
 */
function findStepsFile(ctx: VerbContext): string | undefined {
  const [file] = ctx.options.file;
  if (ctx.options.file.length !== 1 || file === undefined || isManifestFile(file)) return undefined;
  const absolute = path.resolve(ctx.cwd, file);
  const text = NODE_FILES.readText(absolute);
  return text !== undefined && looksLikeSteps(text) ? absolute : undefined;
}

function loadStepsContext(ctx: VerbContext, file: string): StackContext {
  const steps = loadSteps(file, { files: NODE_FILES, cwd: ctx.cwd });
  const overrides = readOverrides(ctx);
  const cliVars: Record<string, unknown> = { ...overrides.files };
  // --var values are YAML scalars in steps documents (there are no declared types to convert by).
  for (const [name, text] of Object.entries(overrides.cli ?? {})) cliVars[name] = parseScalar(text);
  const registry = createRegistry();
  const { plan, warnings } = buildStepsPlan(steps, { registry, files: NODE_FILES, cliVars, facts: localFacts(), tags: ctx.options.tags, skipTags: ctx.options.skipTags });
  const config = stepsAsStack(steps);
  return { config, plan, warnings, registry, stateDir: path.join(steps.baseDir, '.runestone'), hostDefaults: undefined, steps };
}

function parseScalar(text: string): unknown {
  try {
    const value: unknown = parseYaml(text);
    return value === null || typeof value === 'object' ? text : value;
  } catch {
    return text;
  }
}

/** The few facts of the machine running Runestone that steps' `when`s can read. */
function localFacts(): Record<string, unknown> {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    user = process.env['USER'] ?? user;
  }
  return { os: platform(), arch: arch(), kernel: release(), hostname: hostname(), user };
}

function stepsAsStack(steps: StepsConfig): StackConfig {
  return {
    project: steps.name,
    environment: 'default',
    variables: new Map(),
    providers: [],
    modules: new Map(),
    resources: [],
    outputs: [],
    files: steps.files,
    baseDir: steps.baseDir,
  };
}

/**
 * The stack of `-f`: stack files, or one project manifest (`.infra.yaml`), checked against its
 * rules and the team's (`--rules`, else .runestone/manifest-rules.yaml; a broken must rule
 * stops here; should rules become warnings) and compiled. A
 * manifest's `service` block compiles only when a mesh hosts file is found (see
 * {@link findMeshHosts}); otherwise it is left out with warning `RS_MANIFEST_W0002`.
 */
export function loadConfig(ctx: VerbContext): { readonly config: StackConfig; readonly warnings: readonly RunestoneError[]; readonly hostDefaults?: HostDefaults } {
  if (!ctx.options.file.some(isManifestFile)) return { config: loadStack({ files: NODE_FILES, paths: ctx.options.file, cwd: ctx.cwd }), warnings: [] };
  const [file] = ctx.options.file;
  if (ctx.options.file.length > 1 || file === undefined) {
    throw new RunestoneError('RS_CLI_E0002', 'Invalid value for -f: a project manifest is run on its own', { hint: 'Pass one .infra.yaml (or .infra.dev.yaml) with -f, and no other file' });
  }
  const absolute = path.resolve(ctx.cwd, file);
  const text = NODE_FILES.readText(absolute);
  if (text === undefined) throw new ConfigError('RS_CONFIG_E0002', `Cannot read config file "${file}": it does not exist`);
  const { manifest, findings } = parseManifest(displayPath(absolute, ctx.cwd), text);
  const all = [
    ...findings,
    ...(manifest === undefined ? [] : [...checkAgainstNeighbours(ctx, manifest), ...checkTeamRules([manifest], loadTeamRules(ctx.options.rules, { cwd: ctx.cwd }))]),
  ];
  const must = all.filter((f) => f.level === 'must');
  if (manifest === undefined || must.length > 0) throw new RunestoneAggregateError(must.map(findingToError));
  const warnings = all.map(findingToError);
  const mesh = manifest.service?.host === undefined ? undefined : findMeshHosts(ctx, absolute);
  if (manifest.service?.host !== undefined && mesh === undefined) {
    warnings.push(
      new RunestoneError('RS_MANIFEST_W0002', `Service of project "${manifest.project}" not compiled: no mesh hosts file says how to reach host "${manifest.service.host}"`, {
        location: manifest.at.child('service').location(),
      }),
    );
  }
  const isFile = (candidate: string): boolean => !NODE_FILES.isDirectory(candidate) && NODE_FILES.readText(candidate) !== undefined;
  const { config, serviceHost } = compileManifest(manifest, { text, file: absolute, ...(mesh === undefined ? {} : { service: { isFile } }) });
  return { config, warnings, ...(serviceHost === undefined || mesh === undefined ? {} : { hostDefaults: { inventory: mesh, on: [serviceHost] } }) };
}

/**
 * The manifest's own rule findings, and with `--roots` the cross-project ones (own_db,
 * http_coupling) against every other manifest under those roots: the others go first, so a
 * finding about a clash lands on this manifest, and only findings located in it are kept.
 */
function checkAgainstNeighbours(ctx: VerbContext, manifest: Manifest): Finding[] {
  if (ctx.options.roots.length === 0) return checkManifests([manifest]);
  const { roots, labels } = resolveRoots(ctx, ctx.options.roots);
  const others = loadManifests(roots, { cwd: ctx.cwd, labels }).manifests.filter((other) => other.file !== manifest.file);
  return checkManifests([...others, manifest]).filter((finding) => finding.location === undefined || finding.location.file === manifest.file);
}

/** The environment variable naming the mesh hosts file for `-f .infra.yaml`. */
export const MESH_HOSTS_ENV = 'RUNESTONE_MESH_HOSTS';

/**
 * The mesh hosts file that says how to reach a manifest's service host: `-i FILE`, else
 * `RUNESTONE_MESH_HOSTS`, else `mesh-hosts.json` beside the manifest or in its parent
 * directory (repositories checked out side by side). `undefined` when there is none.
 */
export function findMeshHosts(ctx: VerbContext, manifestFile: string): string | undefined {
  if (ctx.options.inventory !== undefined) return ctx.options.inventory;
  const fromEnv = ctx.env[MESH_HOSTS_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const dir = path.dirname(manifestFile);
  return [dir, path.dirname(dir)].map((d) => path.join(d, 'mesh-hosts.json')).find((candidate) => NODE_FILES.readText(candidate) !== undefined);
}

/** Reads `--var`, `--var-file` and the environment into variable overrides. */
export function readOverrides(ctx: VerbContext): VariableOverrides {
  const cli: Record<string, string> = {};
  for (const entry of ctx.options.var) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError('RS_CONFIG_E0008', `Invalid --var "${entry}": expected NAME=VALUE`, { hint: 'Write --var name=value' });
    }
    cli[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  const files: Record<string, unknown> = {};
  for (const file of ctx.options.varFile) {
    const absolute = path.resolve(ctx.cwd, file);
    const text = NODE_FILES.readText(absolute);
    if (text === undefined) throw new ConfigError('RS_CONFIG_E0002', `Cannot read --var-file "${file}": it does not exist`);
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new ConfigError('RS_CONFIG_E0001', `Cannot parse --var-file "${file}": ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`, { cause: error });
    }
    if (!isPlainObject(parsed)) throw new ConfigError('RS_CONFIG_E0004', `Invalid --var-file "${file}": expected a map of variable names to values`);
    Object.assign(files, parsed);
  }
  return { cli, files, env: ctx.env };
}

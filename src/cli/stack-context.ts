import { arch, hostname, platform, release, userInfo } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, RunestoneAggregateError, RunestoneError } from '../core/errors.ts';
import { isPlainObject } from '../core/json.ts';
import { loadStack, loadSteps, looksLikeSteps, type StackConfig, type StepsConfig } from '../config/index.ts';
import { checkManifests, compileManifest, displayPath, findingToError, isManifestFile, parseManifest } from '../manifest/index.ts';
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
  /** Set when `-f` named a steps document (then `config` is a stand-in with no resources). */
  readonly steps?: StepsConfig;
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
  const { config, warnings: manifestWarnings } = loadConfig(ctx);
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
  return { config, plan: { ...plan, baseDir }, warnings: [...manifestWarnings, ...warnings], registry, stateDir };
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
  return { config, plan, warnings, registry, stateDir: path.join(steps.baseDir, '.runestone'), steps };
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
 * rules (a broken must rule stops here; should rules become warnings) and compiled.
 */
export function loadConfig(ctx: VerbContext): { readonly config: StackConfig; readonly warnings: readonly RunestoneError[] } {
  if (!ctx.options.file.some(isManifestFile)) return { config: loadStack({ files: NODE_FILES, paths: ctx.options.file, cwd: ctx.cwd }), warnings: [] };
  const [file] = ctx.options.file;
  if (ctx.options.file.length > 1 || file === undefined) {
    throw new RunestoneError('RS_CLI_E0002', 'Invalid value for -f: a project manifest is run on its own', { hint: 'Pass one .infra.yaml (or .infra.dev.yaml) with -f, and no other file' });
  }
  const absolute = path.resolve(ctx.cwd, file);
  const text = NODE_FILES.readText(absolute);
  if (text === undefined) throw new ConfigError('RS_CONFIG_E0002', `Cannot read config file "${file}": it does not exist`);
  const { manifest, findings } = parseManifest(displayPath(absolute, ctx.cwd), text);
  const all = [...findings, ...(manifest === undefined ? [] : checkManifests([manifest]))];
  const must = all.filter((f) => f.level === 'must');
  if (manifest === undefined || must.length > 0) throw new RunestoneAggregateError(must.map(findingToError));
  return { config: compileManifest(manifest, { text, file: absolute }), warnings: all.map(findingToError) };
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

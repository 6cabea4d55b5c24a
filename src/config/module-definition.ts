import path from 'node:path';
import { ConfigError, RunestoneAggregateError } from '../core/errors.ts';
import type { JsonObject } from '../core/json.ts';
import { isPlainObject } from '../core/json.ts';
import { formatLocation, type SourceLocation } from '../core/location.ts';
import { compileSchema } from '../schema/index.ts';
import type { ConfigFiles } from './files.ts';
import { Locator } from './locator.ts';
import { SourceFile } from './source-file.ts';
import type { ModuleDecl, OutputDecl, ResourceBlock } from './stack-config.ts';
import { issuesToErrors } from './validate.ts';

/** JSON Schema of `module.yaml`. Published as schemas/module.schema.json. */
export const MODULE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://runestone.dev/schemas/module.schema.json',
  title: 'Runestone module',
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    inputs: { type: 'object', description: 'Input name to its JSON Schema; inputs without a default are required', additionalProperties: { type: 'object' } },
    outputs: {
      type: 'object',
      description: 'Output name to { value, schema, description }',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['value'],
        properties: { value: {}, schema: { type: 'object' }, description: { type: 'string' }, secret: { type: 'boolean' } },
      },
    },
    resources: { type: 'array', items: { type: 'object' } },
  },
} as const satisfies JsonObject;

/** A loaded module: its input schema, outputs and resource blocks. */
export interface ModuleDefinition {
  readonly name: string;
  readonly dir: string;
  /** Object schema built from `inputs` (strict, with defaults and required). */
  readonly inputSchema: JsonObject;
  readonly outputs: readonly (OutputDecl & { readonly schema?: JsonObject })[];
  readonly resources: readonly ResourceBlock[];
  readonly text: string;
  readonly file: string;
}

/** Maps a module declaration to the directory that holds its `module.yaml`. */
export type ModuleDirResolver = (decl: ModuleDecl) => string;

const checkModule = compileSchema(MODULE_SCHEMA);
const LOCAL_SOURCE = /^(\.{1,2}\/|\/)/;

/** True when a module source is a local path (`./x`, `../x`, `/x`). */
export function isLocalSource(source: string): boolean {
  return LOCAL_SOURCE.test(source);
}

/**
 * Reads and validates a module's `module.yaml`. `useSite` is where the module is used;
 * it heads the include chain of every location inside the module.
 */
export function loadModuleDefinition(
  decl: ModuleDecl,
  options: { readonly files: ConfigFiles; readonly resolveDir: ModuleDirResolver; readonly useSite: SourceLocation; readonly cwd: string },
): ModuleDefinition {
  const dir = options.resolveDir(decl);
  const file = path.join(dir, 'module.yaml');
  const text = options.files.readText(file);
  if (text === undefined) {
    throw new ConfigError('RS_MODULE_E0002', `Cannot load module "${decl.name}": no module.yaml in "${path.relative(options.cwd, dir) || '.'}"`, {
      location: decl.at.child('source').location(),
      hint: isLocalSource(decl.source) ? 'Check the source path; it is relative to the file that declares the module' : 'Run `runestone bootstrap` to fetch it',
    });
  }
  const display = path.relative(options.cwd, file).startsWith('..') ? file : path.relative(options.cwd, file);
  const chain = [...(options.useSite.chain ?? []), formatLocation({ ...options.useSite, chain: [] })];
  const { documents } = SourceFile.parse(display, text, chain);
  const doc = documents[0];
  if (doc === undefined || !isPlainObject(doc.value)) {
    throw new ConfigError('RS_CONFIG_E0004', `Invalid module "${decl.name}": module.yaml must be a map`, { location: options.useSite });
  }
  const at = new Locator(doc.source, '/0');
  const issues = checkModule(doc.value);
  if (issues.length > 0) throw new RunestoneAggregateError(issuesToErrors(issues, doc.value, at, `module "${decl.name}"`));
  const value = doc.value;
  const inputs = isPlainObject(value['inputs']) ? (value['inputs'] as Record<string, JsonObject>) : {};
  const required = Object.entries(inputs)
    .filter(([, schema]) => !('default' in schema))
    .map(([name]) => name);
  const inputSchema: JsonObject = { type: 'object', additionalProperties: false, properties: inputs, required };
  const outputs = Object.entries(isPlainObject(value['outputs']) ? value['outputs'] : {}).map(([name, raw]) => {
    const entry = raw as Record<string, unknown>;
    const schema = entry['schema'];
    const description = entry['description'];
    return {
      name,
      value: entry['value'],
      secret: entry['secret'] === true,
      ...(typeof description === 'string' ? { description } : {}),
      ...(isPlainObject(schema) ? { schema: schema as JsonObject } : {}),
      at: at.child('outputs').child(name).child('value'),
    };
  });
  const resources = (Array.isArray(value['resources']) ? (value['resources'] as unknown[]) : []).map((item, i) => ({
    value: isPlainObject(item) ? item : {},
    at: at.child('resources').child(i),
  }));
  return { name: typeof value['name'] === 'string' ? value['name'] : decl.name, dir, inputSchema, outputs, resources, text, file: display };
}

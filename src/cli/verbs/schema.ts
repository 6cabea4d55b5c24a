import { readFileSync } from 'node:fs';
import { RunestoneError } from '../../core/errors.ts';
import { didYouMean, MODULE_SCHEMA, STEPS_SCHEMA } from '../../config/index.ts';
import { MANIFEST_ESTATE_SCHEMA, MANIFEST_RULES_FILE_SCHEMA, MANIFEST_SCHEMA, MANIFEST_VALIDATION_SCHEMA } from '../../manifest/index.ts';
import { CLUSTERS_FILE_SCHEMA } from '../../providers/postgres/index.ts';
import { stackSchemaWithKinds } from '../schemas.ts';
import { EXIT } from '../exit-codes.ts';
import { COMMON_OPTIONS } from '../options.ts';
import { createRegistry } from '../stack-context.ts';
import type { Verb } from '../verb.ts';

const DOCUMENT_SCHEMAS: Readonly<Record<string, () => unknown>> = {
  stack: () => stackSchemaWithKinds(createRegistry().allKinds()),
  module: () => MODULE_SCHEMA,
  steps: () => STEPS_SCHEMA,
  manifest: () => MANIFEST_SCHEMA,
  'manifest-rules': () => MANIFEST_RULES_FILE_SCHEMA,
  'postgres-clusters': () => CLUSTERS_FILE_SCHEMA,
  preview: () => readShipped('preview.schema.json'),
  result: () => readShipped('result.schema.json'),
  graph: () => readShipped('graph.schema.json'),
  'manifest-validation': () => MANIFEST_VALIDATION_SCHEMA,
  'manifest-estate': () => MANIFEST_ESTATE_SCHEMA,
};

function readShipped(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../schemas/${name}`, import.meta.url), 'utf8'));
}

/** `runestone schema`: print the published JSON Schemas. */
export const SCHEMA_VERB: Verb = {
  name: 'schema',
  summary: 'Print JSON Schemas: the stack document, a module, a project manifest, a kind, or an output document',
  usage: 'runestone schema [stack|module|steps|manifest|manifest-rules|postgres-clusters|preview|result|graph|manifest-validation|manifest-estate|KIND] [--list]',
  description:
    'Prints a JSON Schema (2020-12) for editors (yaml-language-server) and CI. With no argument, the stack document schema with\n' +
    "every kind's properties schema attached; with a kind name (host:file), that kind's properties; --list names every kind.",
  options: ['list', ...COMMON_OPTIONS],
  examples: ['runestone schema > runestone.schema.json', 'runestone schema host:file', 'runestone schema --list'],
  run(ctx) {
    const registry = createRegistry();
    const kinds = registry.allKinds();
    if (ctx.options.list) {
      const width = Math.max(...kinds.map((k) => k.kind.length));
      ctx.terminal.stdout.write(`${kinds.map((k) => `${k.kind.padEnd(width)}  ${k.description}`).join('\n')}\n`);
      return Promise.resolve(EXIT.ok);
    }
    const name = ctx.args[0] ?? 'stack';
    let schema: unknown;
    const document = DOCUMENT_SCHEMAS[name];
    if (document !== undefined) {
      schema = document();
    } else {
      const kind = registry.kind(name);
      if (kind === undefined) {
        const suggestion = didYouMean(name, [...Object.keys(DOCUMENT_SCHEMAS), ...kinds.map((k) => k.kind)]);
        throw new RunestoneError('RS_CLI_E0002', `Unknown schema "${name}"`, {
          hint: suggestion === undefined ? 'Run `runestone schema --list` to see every kind' : `Did you mean "${suggestion}"?`,
        });
      }
      schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', title: `${kind.kind} properties`, description: kind.description, ...kind.schema };
    }
    ctx.terminal.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
    return Promise.resolve(EXIT.ok);
  },
};

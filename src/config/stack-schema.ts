import type { JsonObject } from '../core/json.ts';

const EXPRESSION = { type: 'string', pattern: '^\\$\\{[\\s\\S]*\\}$', description: 'A ${...} CEL expression' } as const;

export const RESOURCE_SCHEMA = {
  type: 'object',
  description: 'A resource, or a module instance when kind is module:<name>',
  additionalProperties: false,
  required: ['kind', 'name'],
  properties: {
    kind: {
      type: 'string',
      pattern: '^[a-z][a-z0-9-]*(:[A-Za-z0-9._/-]+)+$',
      description: 'provider:service:resource, e.g. host:file, aws:s3:bucket, module:vpc',
    },
    name: { type: 'string', minLength: 1, description: 'Unique within the kind; may contain ${} (e.g. web-${index})' },
    description: { type: 'string' },
    properties: { type: 'object', description: "The kind's properties, checked against its schema" },
    inputs: { type: 'object', description: 'Inputs of a module instance, checked against the module schema' },
    count: { oneOf: [{ type: 'integer', minimum: 0 }, EXPRESSION], description: 'Create N instances; index is 0..N-1' },
    for_each: { oneOf: [{ type: 'array' }, { type: 'object' }, EXPRESSION], description: 'One instance per list item or map entry' },
    as: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Name for the loop item (default item)' },
    when: { oneOf: [{ type: 'boolean' }, EXPRESSION], description: 'Only declare the resource when true' },
    depends_on: { type: 'array', items: { type: 'string' }, description: 'Addresses: kind.name or module:name' },
    driftPolicy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        autoHeal: { type: 'boolean', description: 'align fixes drift on this resource (default true)' },
        notifyOnly: { type: 'boolean', description: 'align only reports drift on this resource (default false)' },
      },
    },
    adopt: { type: 'boolean', description: 'Take over an existing resource with the same identity' },
    provider: { type: 'string', description: 'Provider instance, e.g. aws.west (default: the kind prefix)' },
  },
} as const;

const VARIABLE_LONG_FORM_KEYS = ['default', 'secret', 'description', 'type'] as const;

/** JSON Schema of a stack document (`runestone.yaml`). Published as schemas/stack.schema.json. */
export const STACK_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://runestone.dev/schemas/stack.schema.json',
  title: 'Runestone stack',
  type: 'object',
  additionalProperties: false,
  properties: {
    project: { type: 'string', minLength: 1, description: 'Project name; with environment it names the stack' },
    environment: { type: 'string', minLength: 1, description: 'Environment name (default: default)' },
    variables: {
      type: 'object',
      description: `Global variables. A value, or the long form with keys ${VARIABLE_LONG_FORM_KEYS.join(', ')} (secret: true prints as (secret))`,
    },
    providers: {
      type: 'object',
      description: 'Provider instances by name (host, aws, aws.west, ...); type defaults to the name before the dot',
      additionalProperties: { type: 'object' },
    },
    modules: {
      type: 'object',
      description: 'Modules by name, used as kind: module:<name>',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['source'],
        properties: {
          source: { type: 'string', description: 'A local path (./modules/x) or a git source (github.com/org/repo/path, or URL//subdir)' },
          version: { type: 'string', description: 'A git tag, required for git sources' },
          inputs: { type: 'object', description: 'Default inputs for every instance' },
        },
      },
    },
    resources: { type: 'array', items: RESOURCE_SCHEMA },
    outputs: {
      type: 'object',
      description: 'Named values: a value, or { value, secret, description }',
    },
  },
} as const satisfies JsonObject;

/** Keys that make a variable entry the long form. */
export const VARIABLE_KEYS: readonly string[] = VARIABLE_LONG_FORM_KEYS;

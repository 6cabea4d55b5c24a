import type { JsonObject } from '../core/json.ts';

const FINDING = {
  type: 'object',
  additionalProperties: false,
  required: ['rule', 'level', 'code', 'message'],
  properties: {
    rule: { type: 'string', description: 'Rule id: a built-in one from src/manifest/rules.ts (own_db, host_in_mesh, ...) or a team rule id from a --rules file' },
    level: { enum: ['must', 'should'] },
    code: { type: 'string', pattern: '^RS_[A-Z]+_[EWI]\\d{4}$' },
    message: { type: 'string' },
    file: { type: 'string' },
    line: { type: 'integer', minimum: 1 },
    column: { type: 'integer', minimum: 1 },
    hint: { type: 'string' },
  },
} as const;

const ENVIRONMENT = { enum: ['dev', 'prod'] } as const;

/** JSON Schema of `runestone manifest validate --output json`. Published as schemas/manifest-validation.schema.json. */
export const MANIFEST_VALIDATION_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://runestone.dev/schemas/v1/manifest-validation.schema.json',
  title: 'Runestone manifest validation',
  description: 'The document `runestone manifest validate --output json` prints.',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'valid', 'files', 'manifests', 'findings'],
  properties: {
    apiVersion: { const: 'runestone.dev/v1' },
    kind: { const: 'ManifestValidation' },
    valid: { type: 'boolean', description: 'False when a must rule is broken (exit 2)' },
    files: { type: 'array', items: { type: 'string' } },
    manifests: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['file', 'project', 'environment'], properties: { file: { type: 'string' }, project: { type: 'string' }, environment: ENVIRONMENT } },
    },
    findings: { type: 'array', items: FINDING },
  },
} as const satisfies JsonObject;

const EDGE = { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } } as const;

/** JSON Schema of `runestone manifest reconcile --output json`. Published as schemas/manifest-estate.schema.json. */
export const MANIFEST_ESTATE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://runestone.dev/schemas/v1/manifest-estate.schema.json',
  title: 'Runestone manifest estate',
  description: 'The document `runestone manifest reconcile --output json` prints.',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'manifests', 'services', 'databases', 'dependencies', 'gpu', 'findings'],
  properties: {
    apiVersion: { const: 'runestone.dev/v1' },
    kind: { const: 'ManifestEstate' },
    manifests: { type: 'integer', minimum: 0 },
    services: {
      type: 'object',
      description: 'Host name to the services placed on it (the mesh hosts file services map)',
      additionalProperties: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['project', 'environment', 'provider'],
          properties: { project: { type: 'string' }, environment: ENVIRONMENT, provider: { type: 'string' }, runtime: { type: 'string' }, port: { type: 'integer' }, systemd_unit: { type: 'string' } },
        },
      },
    },
    databases: {
      type: 'object',
      description: 'Cluster name to the databases on it',
      additionalProperties: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['project', 'environment', 'name', 'user'],
          properties: { project: { type: 'string' }, environment: ENVIRONMENT, name: { type: 'string' }, user: { type: 'string' } },
        },
      },
    },
    dependencies: {
      type: 'object',
      additionalProperties: false,
      required: ['projects', 'edges', 'cycles', 'dangling'],
      properties: {
        projects: { type: 'array', items: { type: 'string' } },
        edges: { type: 'array', items: EDGE },
        cycles: { type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2 } },
        dangling: { type: 'array', items: EDGE },
      },
    },
    gpu: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['project', 'environment'],
        properties: { project: { type: 'string' }, environment: ENVIRONMENT, mode: { type: 'string' }, droplet: { type: 'string' } },
      },
    },
    findings: { type: 'array', items: FINDING },
    mesh: {
      type: 'object',
      additionalProperties: false,
      required: ['file', 'changed'],
      properties: { file: { type: 'string' }, changed: { type: 'boolean', description: 'The services map differs from the file (written unless --check or a must finding)' } },
    },
  },
} as const satisfies JsonObject;

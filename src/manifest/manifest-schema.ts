import type { JsonObject } from '../core/json.ts';

/**
 * JSON Schema of a project manifest (`.infra.yaml`, `.infra.<env>.yaml`), as the seed's
 * `infra_manifest` convention (v0.3.0) publishes it. Published as
 * schemas/infra-manifest.schema.json.
 */
export const MANIFEST_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://runestone.dev/schemas/infra-manifest.schema.json',
  title: 'ProjectInfraManifest',
  description: 'Per-project infra manifest (.infra.yaml, plus optional .infra.<env>.yaml siblings with the same schema)',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'project', 'provider'],
  properties: {
    apiVersion: { type: 'string', const: 'infra/v1', description: "Manifest contract version (independent of the convention's own version)." },
    project: { type: 'string', minLength: 1 },
    environment: {
      type: 'string',
      enum: ['dev', 'prod'],
      default: 'prod',
      description: 'Deployment environment. Omitted = prod. A project may carry one manifest per environment (.infra.yaml + .infra.dev.yaml).',
    },
    provider: {
      type: 'string',
      enum: ['digitalocean', 'mac', 'bare-metal', 'local'],
      description: 'Where it physically runs: digitalocean droplet, a mac (e.g. fennel), bare-metal, or local.',
    },
    database: {
      type: 'object',
      additionalProperties: false,
      required: ['cluster', 'name', 'user'],
      properties: {
        cluster: { type: 'string', description: 'Shared managed cluster — data-sourced, not owned here.' },
        name: { type: 'string' },
        user: { type: 'string' },
      },
    },
    service: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string', description: 'A host name from net-tools mesh-hosts.json (lime, fennel, redroid, …).' },
        runtime: { type: 'string' },
        port: { type: 'integer' },
        systemd_unit: { type: 'string' },
      },
    },
    gpu: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: { type: 'string', enum: ['on-demand'] },
        droplet: { type: 'string' },
      },
    },
    depends_on: { type: 'array', items: { type: 'string' }, description: 'Other services consumed over HTTP.' },
  },
} as const satisfies JsonObject;

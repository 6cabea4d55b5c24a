import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ProviderError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/json.ts';
import { compileSchema } from '../../schema/index.ts';

/** JSON Schema of one cluster entry (clusters file, or inline `providers.postgres.clusters`). */
const CLUSTER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'user'],
  properties: {
    host: { type: 'string', description: 'Host name or address' },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 5432 },
    database: { type: 'string', default: 'postgres', description: 'Maintenance database the admin connects to (defaultdb on DigitalOcean)' },
    user: { type: 'string', description: 'Admin user: superuser, or CREATEROLE + CREATEDB' },
    password_env: { type: 'string', description: 'Environment variable holding the admin password' },
    password_file: { type: 'string', description: 'File holding the admin password (first line), relative to the clusters file' },
    tls: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: { enum: ['disable', 'require', 'verify-full'], default: 'verify-full', description: 'disable; require (encrypt, no certificate check); verify-full (check certificate and host name)' },
        ca_file: { type: 'string', description: 'CA bundle for verify-full, relative to the clusters file' },
      },
    },
  },
} as const satisfies JsonObject;

/** JSON Schema of a clusters file: `clusters:` mapping a cluster name to its connection. */
export const CLUSTERS_FILE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://runestone.dev/schemas/postgres-clusters.schema.json',
  title: 'Runestone PostgreSQL clusters',
  type: 'object',
  additionalProperties: false,
  required: ['clusters'],
  properties: { clusters: { type: 'object', additionalProperties: CLUSTER_SCHEMA } },
} as const satisfies JsonObject;

/** JSON Schema of a `providers.postgres` block. */
export const POSTGRES_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    clusters_file: { type: 'string', description: 'YAML or JSON clusters file, relative to the config; default RUNESTONE_POSTGRES_CLUSTERS (relative to the working directory), else postgres-clusters.yaml beside the config' },
    clusters: { type: 'object', additionalProperties: CLUSTER_SCHEMA, description: 'Clusters inline, by name (same entries as the clusters file)' },
  },
} as const satisfies JsonObject;

/** A cluster's resolved connection. The password is never logged or printed. */
export interface ClusterConnection {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string | undefined;
  /** `false`, or pg's `ssl` options. */
  readonly ssl: false | { readonly rejectUnauthorized: boolean; readonly ca?: string };
}

const checkFile = compileSchema(CLUSTERS_FILE_SCHEMA);

/**
 * Resolves every cluster: inline `clusters` from the provider block, else the clusters file
 * (`clusters_file`, else RUNESTONE_POSTGRES_CLUSTERS, else postgres-clusters.yaml in
 * `baseDir`). Passwords come from `password_env` or `password_file`. Throws RS_POSTGRES_E0006.
 */
export function readClusters(config: JsonObject, options: { readonly baseDir: string; readonly env: Readonly<Record<string, string | undefined>> }): ReadonlyMap<string, ClusterConnection> {
  let entries: Record<string, Record<string, unknown>>;
  let dir = options.baseDir;
  if (config['clusters'] !== undefined) {
    entries = structuredClone(config['clusters']) as Record<string, Record<string, unknown>>;
    const issues = checkFile({ clusters: entries });
    if (issues.length > 0) throw invalid('providers.postgres.clusters', issues[0]?.pointer ?? '', issues[0]?.message ?? '');
  } else {
    // clusters_file is relative to the config; the environment variable to where Runestone runs.
    const fromEnv = options.env['RUNESTONE_POSTGRES_CLUSTERS'];
    const file =
      typeof config['clusters_file'] === 'string'
        ? path.resolve(options.baseDir, config['clusters_file'])
        : fromEnv !== undefined && fromEnv !== ''
          ? path.resolve(fromEnv)
          : path.resolve(options.baseDir, 'postgres-clusters.yaml');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ProviderError('RS_POSTGRES_E0006', `Cannot read PostgreSQL clusters file "${file}": ${(error as NodeJS.ErrnoException).code ?? 'error'}`, {
        cause: error,
        hint: 'Set providers.postgres.clusters_file, or RUNESTONE_POSTGRES_CLUSTERS, to a YAML file with a clusters: map',
      });
    }
    let value: unknown;
    try {
      value = parseYaml(text);
    } catch (error) {
      throw new ProviderError('RS_POSTGRES_E0006', `Cannot parse PostgreSQL clusters file "${file}": ${(error as Error).message.split('\n')[0] ?? ''}`, { cause: error });
    }
    const issues = checkFile(value);
    if (issues.length > 0) throw invalid(file, issues[0]?.pointer ?? '', issues[0]?.message ?? '');
    entries = (value as { clusters: Record<string, Record<string, unknown>> }).clusters;
    dir = path.dirname(file);
  }
  const out = new Map<string, ClusterConnection>();
  for (const [name, entry] of Object.entries(entries)) out.set(name, toConnection(name, entry, dir, options.env));
  return out;
}

function invalid(where: string, pointer: string, message: string): ProviderError {
  return new ProviderError('RS_POSTGRES_E0006', `Invalid PostgreSQL clusters in "${where}" at "${pointer || '/'}": ${message}`);
}

function toConnection(name: string, entry: Record<string, unknown>, dir: string, env: Readonly<Record<string, string | undefined>>): ClusterConnection {
  const text = (key: string): string | undefined => (typeof entry[key] === 'string' ? entry[key] : undefined);
  let password: string | undefined;
  const passwordEnv = text('password_env');
  const passwordFile = text('password_file');
  if (passwordEnv !== undefined) {
    password = env[passwordEnv];
    if (password === undefined) throw new ProviderError('RS_POSTGRES_E0006', `Cluster "${name}": environment variable "${passwordEnv}" (password_env) is not set`, { hint: `Export ${passwordEnv} with the admin password` });
  } else if (passwordFile !== undefined) {
    try {
      password = (readFileSync(path.resolve(dir, passwordFile), 'utf8').split('\n')[0] ?? '').trimEnd();
    } catch (error) {
      throw new ProviderError('RS_POSTGRES_E0006', `Cluster "${name}": cannot read password_file "${passwordFile}"`, { cause: error });
    }
  }
  const tls = (entry['tls'] ?? {}) as { mode?: string; ca_file?: string };
  const mode = tls.mode ?? 'verify-full';
  let ssl: ClusterConnection['ssl'] = false;
  if (mode === 'require') ssl = { rejectUnauthorized: false };
  if (mode === 'verify-full') {
    const ca = tls.ca_file === undefined ? undefined : readFileSync(path.resolve(dir, tls.ca_file), 'utf8');
    ssl = { rejectUnauthorized: true, ...(ca === undefined ? {} : { ca }) };
  }
  return {
    name,
    host: text('host') ?? '',
    port: typeof entry['port'] === 'number' ? entry['port'] : 5432,
    database: text('database') ?? 'postgres',
    user: text('user') ?? '',
    password,
    ssl,
  };
}

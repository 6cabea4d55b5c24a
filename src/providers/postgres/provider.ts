import type { JsonObject } from '../../core/json.ts';
import type { KindHandler, LiveState, OwnedResource, Provider, ProviderContext } from '../contract.ts';
import type { ProviderType } from '../registry.ts';
import { POSTGRES_CONFIG_SCHEMA, readClusters, type ClusterConnection } from './clusters.ts';
import { ClusterPools } from './connections.ts';
import { createDatabaseKind } from './kinds/database.ts';
import { createRoleKind } from './kinds/role.ts';
import { OWNER_PREFIX, parseOwnerComment } from './ownership.ts';
import { text } from './text.ts';

type PostgresKind = KindHandler & { readIdentity(identity: string, ctx: ProviderContext): Promise<LiveState | undefined> };

/** Creates the postgres kinds over a pools getter (unused until a provider instance runs). */
export function createPostgresKinds(pools: (ctx: ProviderContext) => ClusterPools): readonly PostgresKind[] {
  return [createRoleKind(pools), createDatabaseKind(pools)];
}

function unconfigured(): ClusterPools {
  throw new Error('postgres kinds listed for schemas cannot reach a cluster');
}

/** Options for {@link createPostgresProvider}. */
export interface PostgresProviderOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The `postgres` provider: roles and databases on named clusters (clusters file: host, port,
 * admin credentials from env or file, TLS), read from the live catalog. Ownership is a
 * `runestone:{stack,address}` comment on each role and database; discovery is one catalog
 * query per kind per cluster. Uses `pg` (pure JavaScript), one small pool per cluster.
 */
export function createPostgresProvider(config: JsonObject, options: PostgresProviderOptions = {}): Provider {
  let pools: ClusterPools | undefined;
  let clusters: ReadonlyMap<string, ClusterConnection> | undefined;
  // Relative paths (clusters file, password and CA files) resolve from the first call's baseDir.
  const poolsFor = (ctx: ProviderContext): ClusterPools => {
    pools ??= new ClusterPools(() => (clusters ??= readClusters(config, { baseDir: ctx.baseDir, env: options.env ?? process.env })));
    return pools;
  };
  const handlers = createPostgresKinds(poolsFor);
  const [role, database] = handlers as [PostgresKind, PostgresKind];
  return {
    type: 'postgres',
    kinds: new Map<string, KindHandler>(handlers.map((handler) => [handler.kind, handler])),
    configSchema: POSTGRES_CONFIG_SCHEMA,
    async check(ctx) {
      const all = poolsFor(ctx);
      const versions: string[] = [];
      for (const name of all.names()) {
        const rows = await all.session(name, ctx.signal).query(`check cluster "${name}"`, 'show server_version');
        versions.push(`${name} ${text(rows[0]?.['server_version'] ?? '?')}`);
      }
      return { ok: true, summary: `postgres provider ready (${versions.join(', ') || 'no clusters'})` };
    },
    async discover(ctx) {
      const all = poolsFor(ctx);
      const found: OwnedResource[] = [];
      for (const name of all.names()) {
        const session = all.session(name, ctx.signal);
        const roles = await session.query(
          'list roles this stack owns',
          "select rolname as name, shobj_description(oid, 'pg_authid') as comment from pg_roles where shobj_description(oid, 'pg_authid') like $1",
          [`${OWNER_PREFIX}%`],
        );
        const databases = await session.query(
          'list databases this stack owns',
          "select datname as name, shobj_description(oid, 'pg_database') as comment from pg_database where shobj_description(oid, 'pg_database') like $1",
          [`${OWNER_PREFIX}%`],
        );
        for (const [handler, rows] of [
          [database, databases],
          [role, roles],
        ] as const) {
          for (const row of rows) {
            const owner = parseOwnerComment(row['comment']);
            if (owner?.stack !== ctx.stack) continue;
            const live = await handler.readIdentity(`${name}/${String(row['name'])}`, ctx);
            if (live !== undefined) found.push({ address: owner.address, kind: handler.kind, live });
          }
        }
      }
      return found;
    },
  };
}

/** The `postgres` provider type for the registry. */
export const POSTGRES_PROVIDER_TYPE: ProviderType = {
  type: 'postgres',
  configSchema: POSTGRES_CONFIG_SCHEMA,
  kinds: createPostgresKinds(unconfigured),
  create: (config) => createPostgresProvider(config),
};

import pg from 'pg';
import { ProviderError } from '../../../core/errors.ts';
import { jsonEqual } from '../../../core/json.ts';
import type { DesiredResource, FieldDiff, KindHandler, LiveState, ProviderContext } from '../../contract.ts';
import type { ClusterPools, ClusterSession } from '../connections.ts';
import { ownerComment, parseOwnerComment } from '../ownership.ts';
import { splitIdentity } from './role.ts';
import { text } from '../text.ts';

const KIND = 'postgres:database';
const PRIVILEGES = ['CONNECT', 'CREATE', 'TEMPORARY'] as const;

/** JSON Schema of `postgres:database` properties. */
export const DATABASE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A PostgreSQL database on a cluster of the clusters file. Changing cluster, name or encoding replaces it.',
  type: 'object',
  additionalProperties: false,
  required: ['cluster', 'name', 'owner'],
  properties: {
    cluster: { type: 'string', description: 'Cluster name from the clusters file (forces replacement)' },
    name: { type: 'string', pattern: '^[a-z_][a-z0-9_$]{0,62}$', description: 'Database name, lower case (forces replacement)' },
    owner: { type: 'string', description: 'Owning role' },
    encoding: { type: 'string', default: 'UTF8', description: 'Character encoding (forces replacement); created from template0' },
    extensions: { type: 'array', items: { type: 'string' }, uniqueItems: true, default: [], description: 'Extensions installed in the database (managed exactly; plpgsql is ignored)' },
    privileges: {
      type: 'array',
      default: [],
      description: 'Database privileges per role (PUBLIC for everyone); roles not listed are not managed',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['role', 'privileges'],
        properties: {
          role: { type: 'string' },
          privileges: { type: 'array', items: { enum: [...PRIVILEGES] }, uniqueItems: true },
        },
      },
    },
  },
} as const;

const q = (name: string): string => pg.escapeIdentifier(name);
const grantee = (role: string): string => (role === 'PUBLIC' ? 'PUBLIC' : q(role));

interface Grant {
  readonly role: string;
  readonly privileges: readonly string[];
}

/** `postgres:database`: owner, encoding, extensions and database privileges, read from the catalog. */
export function createDatabaseKind(pools: (ctx: ProviderContext) => ClusterPools): KindHandler & { readIdentity(identity: string, ctx: ProviderContext): Promise<LiveState | undefined> } {
  const readState = async (session: ClusterSession, name: string, roles: readonly string[] | undefined): Promise<LiveState | undefined> => {
    const rows = await session.query(
      `read database "${name}"`,
      `select d.datname, pg_get_userbyid(d.datdba) as owner, pg_encoding_to_char(d.encoding) as encoding,
              shobj_description(d.oid, 'pg_database') as comment,
              coalesce((select json_agg(json_build_object('role', case when a.grantee = 0 then 'PUBLIC' else pg_get_userbyid(a.grantee) end, 'privilege', a.privilege_type))
                          from aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a), '[]'::json) as grants
         from pg_database d where d.datname = $1`,
      [name],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const extensions = await session.inDatabase(`read extensions of database "${name}"`, name, async (query) =>
      (await query("select extname from pg_extension where extname <> 'plpgsql' order by 1")).map((r) => String(r['extname'])),
    );
    const byRole = new Map<string, string[]>();
    for (const grant of row['grants'] as { role: string; privilege: string }[]) byRole.set(grant.role, [...(byRole.get(grant.role) ?? []), grant.privilege]);
    // Only the roles config lists are managed; discovery (no config) reports every grantee.
    const listed = roles ?? [...byRole.keys()];
    const privileges = listed.map((role) => ({ role, privileges: [...(byRole.get(role) ?? [])].sort() }));
    const owner = parseOwnerComment(row['comment']);
    return {
      identity: `${session.cluster.name}/${name}`,
      properties: { cluster: session.cluster.name, name, owner: String(row['owner']), encoding: String(row['encoding']), extensions, privileges },
      attributes: { name, cluster: session.cluster.name, host: session.cluster.host, port: session.cluster.port, owner: String(row['owner']) },
      ...(owner === undefined ? {} : { owner }),
    };
  };

  const sessionOf = (desired: DesiredResource, ctx: ProviderContext): ClusterSession => pools(ctx).session(text(desired.properties['cluster']), ctx.signal);
  const grantsOf = (desired: DesiredResource): Grant[] => ((desired.properties['privileges'] ?? []) as unknown as Grant[]).map((g) => ({ role: g.role, privileges: [...g.privileges].sort() }));

  const sync = async (session: ClusterSession, desired: DesiredResource, live: LiveState, ctx: ProviderContext): Promise<void> => {
    const props = desired.properties;
    const name = text(props['name']);
    const owner = text(props['owner']);
    if (live.properties['owner'] !== owner) await session.query(`change the owner of database "${name}"`, `ALTER DATABASE ${q(name)} OWNER TO ${q(owner)}`);
    const wanted = new Set((props['extensions'] as string[] | undefined) ?? []);
    const current = new Set((live.properties['extensions'] as string[] | undefined) ?? []);
    if ([...wanted].some((e) => !current.has(e)) || [...current].some((e) => !wanted.has(e))) {
      await session.inDatabase(`change extensions of database "${name}"`, name, async (query) => {
        for (const extension of wanted) if (!current.has(extension)) await query(`CREATE EXTENSION IF NOT EXISTS ${q(extension)}`);
        // No CASCADE: an extension other objects use stays, and the error says so.
        for (const extension of current) if (!wanted.has(extension)) await query(`DROP EXTENSION IF EXISTS ${q(extension)}`);
      });
    }
    const liveGrants = new Map(((live.properties['privileges'] ?? []) as unknown as Grant[]).map((g) => [g.role, g.privileges]));
    for (const grant of grantsOf(desired)) {
      if (jsonEqual(liveGrants.get(grant.role) ?? [], grant.privileges)) continue;
      await session.query(`revoke privileges on database "${name}" from "${grant.role}"`, `REVOKE ALL ON DATABASE ${q(name)} FROM ${grantee(grant.role)}`);
      if (grant.privileges.length > 0) await session.query(`grant privileges on database "${name}" to "${grant.role}"`, `GRANT ${grant.privileges.join(', ')} ON DATABASE ${q(name)} TO ${grantee(grant.role)}`);
    }
    await session.query(`mark database "${name}" as owned`, `COMMENT ON DATABASE ${q(name)} IS ${pg.escapeLiteral(ownerComment(ctx.stack, desired.address))}`);
  };

  const listedRoles = (desired: DesiredResource): string[] => grantsOf(desired).map((g) => g.role);

  return {
    kind: KIND,
    description: 'A PostgreSQL database: owner, encoding, extensions, database privileges',
    schema: DATABASE_SCHEMA,
    forceReplace: ['cluster', 'name', 'encoding'],
    attributes: ['name', 'cluster', 'host', 'port', 'owner'],
    marksOwnership: true,

    read: (desired, ctx) => readState(sessionOf(desired, ctx), text(desired.properties['name']), listedRoles(desired)),

    plannedAttributes: (desired) => ({ name: text(desired.properties['name']), cluster: text(desired.properties['cluster']), owner: text(desired.properties['owner']) }),

    diff(desired, live) {
      const out: FieldDiff[] = [];
      const props = desired.properties;
      for (const field of ['cluster', 'name', 'owner', 'encoding'] as const) {
        if (props[field] !== live.properties[field]) out.push({ path: `/${field}`, before: live.properties[field], after: props[field], forcesReplace: field !== 'owner' });
      }
      const wanted = [...((props['extensions'] as string[] | undefined) ?? [])].sort();
      const current = [...((live.properties['extensions'] as string[] | undefined) ?? [])].sort();
      if (!jsonEqual(wanted, current)) out.push({ path: '/extensions', before: current, after: wanted, forcesReplace: false });
      const liveGrants = new Map(((live.properties['privileges'] ?? []) as unknown as Grant[]).map((g) => [g.role, g.privileges]));
      for (const grant of grantsOf(desired)) {
        const before = [...(liveGrants.get(grant.role) ?? [])].sort();
        if (!jsonEqual(before, grant.privileges)) {
          out.push({ path: `/privileges/${grant.role}`, before, after: [...grant.privileges], forcesReplace: false, description: `role "${grant.role}" has ${before.join(', ') || 'no privileges'} (expected ${grant.privileges.join(', ') || 'none'})` });
        }
      }
      return out;
    },

    async create(desired, ctx) {
      const session = sessionOf(desired, ctx);
      const props = desired.properties;
      const name = text(props['name']);
      try {
        await session.query(
          `create database "${name}"`,
          `CREATE DATABASE ${q(name)} OWNER ${q(text(props['owner']))} ENCODING ${pg.escapeLiteral(text(props['encoding'] ?? 'UTF8'))} TEMPLATE template0`,
        );
      } catch (error) {
        if (!(error instanceof ProviderError) || !/already exists/.test(error.message)) throw error;
        const existing = await readState(session, name, listedRoles(desired));
        if (existing?.owner?.stack !== ctx.stack) {
          throw new ProviderError('RS_POSTGRES_E0007', `Cannot create database "${name}" on cluster "${session.cluster.name}": it already exists`, { cause: error });
        }
      }
      const live = (await readState(session, name, listedRoles(desired))) ?? vanished(name);
      await sync(session, desired, live, ctx);
      return (await readState(session, name, listedRoles(desired))) ?? vanished(name);
    },

    async update(desired, live, _diff, ctx) {
      const session = sessionOf(desired, ctx);
      await sync(session, desired, live, ctx);
      return (await readState(session, text(desired.properties['name']), listedRoles(desired))) ?? vanished(live.identity);
    },

    async delete(live, ctx) {
      const [cluster, name] = splitIdentity(live.identity);
      await pools(ctx).session(cluster, ctx.signal).query(`drop database "${name}"`, `DROP DATABASE IF EXISTS ${q(name)}`);
    },

    readIdentity(identity, ctx) {
      const [cluster, name] = splitIdentity(identity);
      return readState(pools(ctx).session(cluster, ctx.signal), name, undefined);
    },
  };
}

function vanished(name: string): never {
  throw new ProviderError('RS_POSTGRES_E0005', `Database "${name}" vanished right after it was written`, { retryable: true });
}

import pg from 'pg';
import { ProviderError } from '../../../core/errors.ts';
import type { JsonObject } from '../../../core/json.ts';
import type { DesiredResource, FieldDiff, KindHandler, LiveState, ProviderContext } from '../../contract.ts';
import type { ClusterPools, ClusterSession } from '../connections.ts';
import { ownerComment, parseOwnerComment } from '../ownership.ts';
import { scramVerifier, verifierMatches } from '../scram.ts';
import { text } from '../text.ts';

const KIND = 'postgres:role';
/** Shown instead of a live password that differs from the configured one. */
const OTHER_PASSWORD = '(a different password)';
const NAME_PATTERN = '^[a-z_][a-z0-9_$]{0,62}$';

/** JSON Schema of `postgres:role` properties. */
export const ROLE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A PostgreSQL role on a cluster of the clusters file. Changing cluster or name replaces it.',
  type: 'object',
  additionalProperties: false,
  required: ['cluster', 'name'],
  properties: {
    cluster: { type: 'string', description: 'Cluster name from the clusters file (forces replacement)' },
    name: { type: 'string', pattern: NAME_PATTERN, description: 'Role name, lower case (forces replacement)' },
    login: { type: 'boolean', default: true, description: 'May log in (a user) or not (a group)' },
    password: {
      type: 'string',
      minLength: 1,
      description: 'Login password; give it from a secret variable. Sent as a SCRAM verifier; drift is checked against the stored verifier when the admin may read pg_authid',
    },
    connection_limit: { type: 'integer', minimum: -1, default: -1, description: 'Concurrent connections allowed; -1 for no limit' },
    member_of: { type: 'array', items: { type: 'string', pattern: NAME_PATTERN }, uniqueItems: true, default: [], description: 'Roles this role is a member of (managed exactly)' },
  },
} as const;

const q = (name: string): string => pg.escapeIdentifier(name);

/** `postgres:role`: login, password, connection limit and memberships, read from pg_roles. */
export function createRoleKind(pools: (ctx: ProviderContext) => ClusterPools): KindHandler & { readIdentity(identity: string, ctx: ProviderContext): Promise<LiveState | undefined> } {
  const readState = async (session: ClusterSession, name: string, password: string | undefined): Promise<LiveState | undefined> => {
    const rows = await session.query(
      `read role "${name}"`,
      `select r.rolname, r.rolcanlogin, r.rolconnlimit, shobj_description(r.oid, 'pg_authid') as comment,
              coalesce(array(select p.rolname::text from pg_auth_members m join pg_roles p on p.oid = m.roleid where m.member = r.oid order by 1), '{}') as member_of
         from pg_roles r where r.rolname = $1`,
      [name],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const owner = parseOwnerComment(row['comment']);
    const properties: Record<string, JsonObject[string]> = {
      cluster: session.cluster.name,
      name,
      login: row['rolcanlogin'] === true,
      connection_limit: Number(row['rolconnlimit']),
      member_of: (row['member_of'] as string[]).slice(),
    };
    if (password !== undefined) {
      const live = await readVerifier(session, name);
      // Without access to pg_authid (managed clusters' admins are not superusers) the
      // password cannot be compared: it is then write-only, like RDS's master password.
      if (live !== 'unreadable') properties['password'] = live.verifier !== undefined && verifierMatches(live.verifier, password) ? password : OTHER_PASSWORD;
    }
    return {
      identity: `${session.cluster.name}/${name}`,
      properties,
      attributes: { name, cluster: session.cluster.name, host: session.cluster.host, port: session.cluster.port },
      ...(owner === undefined ? {} : { owner }),
    };
  };

  const sessionOf = (desired: DesiredResource, ctx: ProviderContext): ClusterSession => pools(ctx).session(text(desired.properties['cluster']), ctx.signal);

  const sync = async (session: ClusterSession, desired: DesiredResource, live: LiveState | undefined, ctx: ProviderContext): Promise<void> => {
    const props = desired.properties;
    const name = text(props['name']);
    const login = props['login'] !== false;
    const limit = typeof props['connection_limit'] === 'number' ? props['connection_limit'] : -1;
    const password = typeof props['password'] === 'string' ? props['password'] : undefined;
    const clauses = [login ? 'LOGIN' : 'NOLOGIN', `CONNECTION LIMIT ${String(Math.trunc(limit))}`];
    if (password !== undefined && live?.properties['password'] !== password) clauses.push(`PASSWORD ${pg.escapeLiteral(scramVerifier(password))}`);
    await session.query(`update role "${name}"`, `ALTER ROLE ${q(name)} WITH ${clauses.join(' ')}`);
    const wanted = new Set((props['member_of'] as string[] | undefined) ?? []);
    const current = new Set((live?.properties['member_of'] as string[] | undefined) ?? []);
    for (const group of wanted) if (!current.has(group)) await session.query(`add role "${name}" to "${group}"`, `GRANT ${q(group)} TO ${q(name)}`);
    for (const group of current) {
      if (wanted.has(group)) continue;
      try {
        await session.query(`remove role "${name}" from "${group}"`, `REVOKE ${q(group)} FROM ${q(name)}`);
      } catch (error) {
        // The group was dropped meanwhile (its removal may run in parallel): nothing to revoke.
        if (sqlState(error) !== '42704') throw error;
      }
    }
    await session.query(`mark role "${name}" as owned`, `COMMENT ON ROLE ${q(name)} IS ${pg.escapeLiteral(ownerComment(ctx.stack, desired.address))}`);
  };

  return {
    kind: KIND,
    description: 'A PostgreSQL role: login, password (from a secret), connection limit, memberships',
    schema: ROLE_SCHEMA,
    forceReplace: ['cluster', 'name'],
    attributes: ['name', 'cluster', 'host', 'port'],
    marksOwnership: true,

    read: (desired, ctx) => readState(sessionOf(desired, ctx), text(desired.properties['name']), typeof desired.properties['password'] === 'string' ? desired.properties['password'] : undefined),

    plannedAttributes: (desired) => ({ name: text(desired.properties['name']), cluster: text(desired.properties['cluster']) }),

    diff(desired, live) {
      const out: FieldDiff[] = [];
      const props = desired.properties;
      for (const field of ['cluster', 'name', 'login', 'connection_limit'] as const) {
        if (props[field] !== live.properties[field]) out.push({ path: `/${field}`, before: live.properties[field], after: props[field], forcesReplace: field === 'cluster' || field === 'name' });
      }
      const wanted = [...((props['member_of'] as string[] | undefined) ?? [])].sort();
      const current = [...((live.properties['member_of'] as string[] | undefined) ?? [])].sort();
      if (wanted.join('\n') !== current.join('\n')) out.push({ path: '/member_of', before: current, after: wanted, forcesReplace: false });
      if (typeof props['password'] === 'string' && live.properties['password'] !== undefined && live.properties['password'] !== props['password']) {
        // Neither value is shown: the live one is unknown, the desired one is a secret.
        out.push({ path: '/password', before: OTHER_PASSWORD, after: '(secret)', forcesReplace: false, description: 'password differs from the configured one' });
      }
      return out;
    },

    async create(desired, ctx) {
      const session = sessionOf(desired, ctx);
      const name = text(desired.properties['name']);
      try {
        await session.query(`create role "${name}"`, `CREATE ROLE ${q(name)}`);
      } catch (error) {
        // Already there: a concurrent commit of the same stack made it first. Converge on it.
        if (!(error instanceof ProviderError) || !/already exists/.test(error.message)) throw error;
        const existing = await readState(session, name, undefined);
        if (existing?.owner?.stack !== ctx.stack) {
          throw new ProviderError('RS_POSTGRES_E0007', `Cannot create role "${name}" on cluster "${session.cluster.name}": it already exists`, { cause: error });
        }
      }
      await sync(session, desired, undefined, ctx);
      return (await readState(session, name, typeof desired.properties['password'] === 'string' ? desired.properties['password'] : undefined)) ?? vanished(name);
    },

    async update(desired, live, _diff, ctx) {
      const session = sessionOf(desired, ctx);
      await sync(session, desired, live, ctx);
      return (await readState(session, text(desired.properties['name']), typeof desired.properties['password'] === 'string' ? desired.properties['password'] : undefined)) ?? vanished(live.identity);
    },

    async delete(live, ctx) {
      const [cluster, name] = splitIdentity(live.identity);
      const session = pools(ctx).session(cluster, ctx.signal);
      // Database privileges (a cluster-wide catalog) would block DROP ROLE: revoke them first.
      // Privileges on objects inside databases still block it, and the error says which.
      const granted = await session.query(
        `list databases role "${name}" has privileges on`,
        'select distinct d.datname from pg_database d, aclexplode(d.datacl) a join pg_roles r on r.oid = a.grantee where r.rolname = $1',
        [name],
      );
      for (const row of granted) await session.query(`revoke privileges of role "${name}"`, `REVOKE ALL ON DATABASE ${q(text(row['datname']))} FROM ${q(name)}`);
      await session.query(`drop role "${name}"`, `DROP ROLE IF EXISTS ${q(name)}`);
    },

    readIdentity(identity, ctx) {
      const [cluster, name] = splitIdentity(identity);
      return readState(pools(ctx).session(cluster, ctx.signal), name, undefined);
    },
  };
}

async function readVerifier(session: ClusterSession, name: string): Promise<{ readonly verifier: string | undefined } | 'unreadable'> {
  try {
    const rows = await session.query(`read the password verifier of role "${name}"`, 'select rolpassword from pg_authid where rolname = $1', [name]);
    const value = rows[0]?.['rolpassword'];
    return { verifier: typeof value === 'string' ? value : undefined };
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'RS_POSTGRES_E0004') return 'unreadable';
    throw error;
  }
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `cluster/name` → [cluster, name]. */
export function splitIdentity(identity: string): [string, string] {
  const slash = identity.lastIndexOf('/');
  return [identity.slice(0, slash), identity.slice(slash + 1)];
}

function vanished(name: string): never {
  throw new ProviderError('RS_POSTGRES_E0005', `Role "${name}" vanished right after it was written`, { retryable: true });
}

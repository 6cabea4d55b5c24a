// postgres:role and postgres:database against a real PostgreSQL through the CLI, checked with
// psql: create, read back, drift (connection limit, password, extensions, privileges),
// align, removal of what config dropped, dismantle. The password never appears in output.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeStack, type CliResult } from '../helpers/cli.ts';
import { startPostgres, type Postgres } from '../helpers/postgres.ts';

const PASSWORD = 'app-Secret-7731';

const stack = (withReaders: boolean): string => `project: shop
environment: dev
variables:
  app_password: { default: ${PASSWORD}, secret: true }
providers:
  postgres: { clusters_file: ./clusters.yaml }
resources:
${
  withReaders
    ? `  - kind: postgres:role
    name: readers
    properties: { cluster: main, name: shop_readers, login: false }
`
    : ''
}  - kind: postgres:role
    name: app
    properties:
      cluster: main
      name: shop_app
      password: \${app_password}
      connection_limit: 5
      member_of: [${withReaders ? '"${res.readers.name}"' : ''}]
  - kind: postgres:database
    name: shop
    properties:
      cluster: main
      name: shop
      owner: \${res.app.name}
      extensions: [citext, pgcrypto]
      privileges:
        - { role: PUBLIC, privileges: [] }
${withReaders ? '        - { role: shop_readers, privileges: [CONNECT] }\n' : ''}`;

describe('postgres provider against a real PostgreSQL', () => {
  let pg: Postgres;
  let dir: string;
  const run = async (...args: string[]): Promise<CliResult> => {
    const result = await runestone(args, { cwd: dir, env: { PG_ADMIN_PASSWORD: pg.adminPassword } });
    assert.ok(!`${result.stdout}${result.stderr}`.includes(PASSWORD), 'the role password is never printed');
    assert.ok(!`${result.stdout}${result.stderr}`.includes(pg.adminPassword), 'the admin password is never printed');
    return result;
  };
  const one = async (sql: string, database = 'postgres'): Promise<string> => (await pg.psql(sql, { database })).trim();

  before(async () => {
    pg = await startPostgres();
    dir = await writeStack({
      'runestone.yaml': stack(true),
      'clusters.yaml': `clusters:\n  main:\n    host: 127.0.0.1\n    port: ${String(pg.port)}\n    user: ${pg.adminUser}\n    password_env: PG_ADMIN_PASSWORD\n    tls: { mode: disable }\n`,
    });
  });
  after(async () => {
    await pg.stop();
    await removeDir(dir);
  });

  test('commit creates the roles and the database as configured', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(await one("select rolcanlogin, rolconnlimit from pg_roles where rolname = 'shop_app'"), 't|5');
    assert.equal(await one("select rolcanlogin from pg_roles where rolname = 'shop_readers'"), 'f');
    assert.equal(await one("select string_agg(r.rolname, ',') from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member where u.rolname = 'shop_app'"), 'shop_readers');
    assert.equal(await one("select pg_get_userbyid(datdba), pg_encoding_to_char(encoding) from pg_database where datname = 'shop'"), 'shop_app|UTF8');
    assert.equal(await one("select string_agg(extname, ',' order by extname) from pg_extension where extname <> 'plpgsql'", 'shop'), 'citext,pgcrypto');
    assert.equal(await one("select has_database_privilege('shop_readers', 'shop', 'CONNECT'), has_database_privilege('shop_readers', 'shop', 'CREATE')"), 't|f');
    assert.equal(await one("select shobj_description(oid, 'pg_database') from pg_database where datname = 'shop'"), 'runestone:{"stack":"shop/dev","address":"postgres:database.shop"}');
    // The role logs in with the configured password, over TCP with SCRAM.
    assert.equal((await pg.psql('select current_user', { user: 'shop_app', password: PASSWORD, database: 'shop' })).trim(), 'shop_app');
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 0, preview.out + preview.err);
    assert.match(preview.out, /No changes\./);
  });

  test('changes made with psql are drift, and align puts them back', async () => {
    await pg.psql("ALTER ROLE shop_app CONNECTION LIMIT 10 PASSWORD 'someone-else'");
    await pg.psql('GRANT CREATE ON DATABASE shop TO shop_readers');
    await pg.psql('DROP EXTENSION citext', { database: 'shop' });
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4, preview.out + preview.err);
    assert.match(preview.out, /Drift detected:/);
    assert.match(preview.out, /postgres:role\.app connection_limit is 10 \(expected 5\)/);
    assert.match(preview.out, /postgres:role\.app password differs from the configured one/);
    assert.match(preview.out, /postgres:database\.shop extensions is \["pgcrypto"\] \(expected \["citext","pgcrypto"\]\)/);
    assert.match(preview.out, /postgres:database\.shop role "shop_readers" has CONNECT, CREATE \(expected CONNECT\)/);
    const align = await run('align');
    assert.equal(align.code, 0, align.out + align.err);
    assert.equal(await one("select rolconnlimit from pg_roles where rolname = 'shop_app'"), '5');
    assert.equal(await one("select has_database_privilege('shop_readers', 'shop', 'CREATE')"), 'f');
    assert.equal(await one("select count(*) from pg_extension where extname = 'citext'", 'shop'), '1');
    assert.equal((await pg.psql('select 1', { user: 'shop_app', password: PASSWORD, database: 'shop' })).trim(), '1');
    assert.equal((await run('preview', '--detect-changes')).code, 0);
  });

  test('a role dropped from config is found by its ownership comment and removed by commit', async () => {
    await writeFile(path.join(dir, 'runestone.yaml'), stack(false));
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /- Removed postgres:role\.readers/);
    assert.equal(await one("select count(*) from pg_roles where rolname = 'shop_readers'"), '0');
  });

  test('an unknown cluster is a typed error naming the known ones', async () => {
    await writeFile(path.join(dir, 'other.yaml'), 'project: shop\nenvironment: dev\nproviders:\n  postgres: { clusters_file: ./clusters.yaml }\nresources:\n  - kind: postgres:role\n    name: x\n    properties: { cluster: mian, name: x }\n');
    const r = await run('preview', '-f', 'other.yaml');
    assert.notEqual(r.code, 0);
    assert.match(r.err, /RS_POSTGRES_E0001: .*Unknown PostgreSQL cluster "mian"/);
    assert.match(r.err, /Known clusters: main/);
  });

  test('dismantle drops the database, then the role', async () => {
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(await one("select count(*) from pg_database where datname = 'shop'"), '0');
    assert.equal(await one("select count(*) from pg_roles where rolname = 'shop_app'"), '0');
  });
});

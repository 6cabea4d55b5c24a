// `runestone preview|commit|align|dismantle -f .infra.yaml`: a manifest's database block
// becomes the project's own role and database on the named cluster, checked with psql.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyFromRepo, removeDir, runestone, writeFiles, type CliResult } from '../helpers/cli.ts';
import { startPostgres, type Postgres } from '../helpers/postgres.ts';

const PASSWORD = 'billing-Secret-42';

describe('a project manifest compiled into postgres resources', () => {
  let pg: Postgres;
  let dir: string;
  const run = async (...args: string[]): Promise<CliResult> => {
    const result = await runestone(args, {
      cwd: dir,
      env: { PG_ADMIN_PASSWORD: pg.adminPassword, RUNESTONE_POSTGRES_CLUSTERS: 'clusters.yaml', RUNESTONE_VAR_database_password: PASSWORD },
    });
    assert.ok(!`${result.stdout}${result.stderr}`.includes(PASSWORD), 'the password is never printed');
    return result;
  };
  const one = async (sql: string): Promise<string> => (await pg.psql(sql)).trim();

  before(async () => {
    pg = await startPostgres();
    await pg.psql("CREATE ROLE other_service LOGIN PASSWORD 'other-pw'");
    dir = await copyFromRepo('examples/manifests');
    // The example's mesh hosts are not reachable here: without the file the service blocks
    // are left out (RS_MANIFEST_W0002); test/manifest/service-on-mesh-host.test.ts covers them.
    await rm(path.join(dir, 'mesh-hosts.json'));
    await writeFiles(dir, {
      'bad/.infra.yaml': 'apiVersion: infra/v1\nproject: bad\nprovider: local\nservice:\n  port: 1\n',
      // The example's clusters file names a real host; this one points main-pg at the test cluster.
      'clusters.yaml': `clusters:\n  main-pg:\n    host: 127.0.0.1\n    port: ${String(pg.port)}\n    user: ${pg.adminUser}\n    password_env: PG_ADMIN_PASSWORD\n    tls: { mode: disable }\n`,
    });
  });
  after(async () => {
    await pg.stop();
    await removeDir(dir);
  });

  test('bootstrap checks the cluster the manifest names', async () => {
    const r = await run('bootstrap', '-f', 'billing/.infra.yaml');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /✓ Provider postgres: postgres provider ready \(main-pg 1\d/);
  });

  test('preview shows the role and the database the database block compiles to', async () => {
    const r = await run('preview', '-f', 'billing/.infra.yaml', '--detect-changes');
    assert.equal(r.code, 4, r.out + r.err);
    assert.match(r.out, /\+ 2 new resources will be created/);
    assert.match(r.out, /\+ postgres:role\.user/);
    assert.match(r.out, /\+ postgres:database\.database/);
  });

  test('commit creates the dedicated user and its own database, closed to other services', async () => {
    const r = await run('commit', '-f', 'billing/.infra.yaml', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(await one("select pg_get_userbyid(datdba) from pg_database where datname = 'billing'"), 'billing_app');
    assert.equal((await pg.psql('select current_user', { user: 'billing_app', password: PASSWORD, database: 'billing' })).trim(), 'billing_app');
    await assert.rejects(pg.psql('select 1', { user: 'other_service', password: 'other-pw', database: 'billing' }), /permission denied for database "billing"/);
    assert.equal(await one("select shobj_description(oid, 'pg_authid') from pg_roles where rolname = 'billing_app'"), 'runestone:{"stack":"billing/prod","address":"postgres:role.user"}');
    assert.equal((await run('preview', '-f', 'billing/.infra.yaml', '--detect-changes')).code, 0);
  });

  test('the dev variant is its own stack, with its own user that cannot reach prod', async () => {
    const r = await run('commit', '-f', 'billing/.infra.dev.yaml', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(await one("select shobj_description(oid, 'pg_database') from pg_database where datname = 'billing_dev'"), 'runestone:{"stack":"billing/dev","address":"postgres:database.database"}');
    await assert.rejects(pg.psql('select 1', { user: 'billing_dev', password: PASSWORD, database: 'billing' }), /permission denied for database "billing"/);
    assert.equal((await pg.psql('select current_database()', { user: 'billing_dev', password: PASSWORD, database: 'billing_dev' })).trim(), 'billing_dev');
    // Dismantling dev leaves prod alone: ownership is per stack.
    assert.equal((await run('dismantle', '-f', 'billing/.infra.dev.yaml', '--yes')).code, 0);
    assert.equal(await one("select string_agg(datname, ',' order by datname) from pg_database where datname like 'billing%'"), 'billing');
  });

  test('align heals drift on the compiled resources', async () => {
    await pg.psql('GRANT CONNECT ON DATABASE billing TO PUBLIC');
    const preview = await run('preview', '-f', 'billing/.infra.yaml', '--detect-changes');
    assert.equal(preview.code, 4);
    assert.match(preview.out, /postgres:database\.database role "PUBLIC" has CONNECT, TEMPORARY \(expected none\)|postgres:database\.database role "PUBLIC" has CONNECT \(expected none\)/);
    assert.equal((await run('align', '-f', 'billing/.infra.yaml')).code, 0);
    await assert.rejects(pg.psql('select 1', { user: 'other_service', password: 'other-pw', database: 'billing' }), /permission denied/);
  });

  test('a manifest breaking a must rule is refused before any provider call', async () => {
    const r = await run('preview', '-f', 'bad/.infra.yaml');
    assert.equal(r.code, 2);
    assert.match(r.err, /bad\/\.infra\.yaml:4:1: error RS_MANIFEST_E0001: \[host_in_mesh\] The service of project "bad" names no host/);
  });

  test('with --roots, a second project reusing the user is refused by own_db before anything connects', async () => {
    await writeFiles(dir, {
      'copycat/.infra.yaml': 'apiVersion: infra/v1\nproject: copycat\nprovider: local\ndatabase:\n  cluster: main-pg\n  name: copycat\n  user: billing_app\n',
    });
    const before = await one("select count(*) from pg_roles where rolname = 'billing_app'");
    const refused = await run('commit', '-f', 'copycat/.infra.yaml', '--roots', '.', '--yes');
    assert.equal(refused.code, 2, refused.out + refused.err);
    assert.match(refused.err, /copycat\/\.infra\.yaml:7:9: error RS_MANIFEST_E0001: \[own_db\] Project "copycat" reuses database user "billing_app" on cluster "main-pg" of project "billing"/);
    assert.doesNotMatch(refused.out, /Inspecting live infrastructure/);
    assert.equal(await one("select count(*) from pg_database where datname = 'copycat'"), '0');
    assert.equal(await one("select count(*) from pg_roles where rolname = 'billing_app'"), before);
    await rm(path.join(dir, 'copycat'), { recursive: true });
  });

  test('dismantle removes the database, then the user', async () => {
    const r = await run('dismantle', '-f', 'billing/.infra.yaml', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(await one("select count(*) from pg_database where datname = 'billing'"), '0');
    assert.equal(await one("select count(*) from pg_roles where rolname = 'billing_app'"), '0');
  });
});

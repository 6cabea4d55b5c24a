// `runestone commit|dismantle -f .infra.yaml` with a service block: the database block becomes
// a role + database on a real PostgreSQL (checked with psql), the service block becomes the
// unit, env and password files on the service's mesh host, a real sshd on loopback reached
// through the mesh hosts file (checked with the SYSTEM ssh client). Needs
// `bash scripts/test-env/sshd.sh install` and `bash scripts/test-env/postgres.sh install`.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, tempDir, writeFiles, type CliResult } from '../helpers/cli.ts';
import { startPostgres, type Postgres } from '../helpers/postgres.ts';
import { startSshd, type Sshd } from '../helpers/sshd.ts';

// A ':' and a '\' to show libpq's escaping in the password file.
const PASSWORD = 'shop:Secret\\42';
const UNIT = '[Unit]\nDescription=shop\n\n[Service]\nEnvironmentFile=/etc/runestone/shop.env\nExecStart=/srv/shop/bin/shop --port ${PORT}\n';

describe('a manifest service block compiled to files on its mesh host over SSH', () => {
  let pg: Postgres;
  let lime: Sshd;
  let dir: string;
  let target: string;
  const run = async (...args: string[]): Promise<CliResult> => {
    const result = await runestone(args, {
      cwd: dir,
      env: {
        PG_ADMIN_PASSWORD: pg.adminPassword,
        RUNESTONE_POSTGRES_CLUSTERS: 'clusters.yaml',
        RUNESTONE_VAR_database_password: PASSWORD,
        RUNESTONE_VAR_systemd_unit_dir: `${target}/systemd`,
        RUNESTONE_VAR_service_env_dir: `${target}/etc`,
      },
    });
    assert.ok(!`${result.stdout}${result.stderr}`.includes('Secret'), 'the password is never printed');
    return result;
  };
  const one = async (sql: string): Promise<string> => (await pg.psql(sql)).trim();

  before(async () => {
    [pg, lime] = await Promise.all([startPostgres(), startSshd()]);
    target = await mkdtemp(path.join(tmpdir(), 'rs-svc-target-'));
    dir = await tempDir('rs-svc-');
    await writeFiles(dir, {
      'shop/.infra.yaml': [
        'apiVersion: infra/v1',
        'project: shop',
        'provider: digitalocean',
        'database: { cluster: main-pg, name: shop, user: shop_app }',
        'service: { host: lime, runtime: node, port: 8090, systemd_unit: shop.service }',
        '',
      ].join('\n'),
      'shop/shop.service': UNIT,
      'clusters.yaml': `clusters:\n  main-pg:\n    host: 127.0.0.1\n    port: ${String(pg.port)}\n    user: ${pg.adminUser}\n    password_env: PG_ADMIN_PASSWORD\n    tls: { mode: disable }\n`,
    });
    // Found beside the manifest's directory; the ssh block gives the key and known_hosts.
    await writeFile(
      path.join(dir, 'mesh-hosts.json'),
      JSON.stringify({
        ssh: { known_hosts: lime.knownHostsPath, key: lime.keyPath },
        hosts: { lime: { address: '127.0.0.1', port: lime.port, user: lime.user, provider: 'digitalocean' } },
        services: {},
      }),
    );
  });
  after(async () => {
    await Promise.all([pg.stop(), lime.stop()]);
    await removeDir(dir);
    await rm(target, { recursive: true, force: true });
  });

  test('preview lists the host resources on the service host', async () => {
    const r = await run('preview', '-f', 'shop/.infra.yaml', '--detect-changes');
    assert.equal(r.code, 4, r.out + r.err);
    assert.match(r.out, /\+ 5 new resources will be created/);
    for (const id of ['postgres:role.user', 'postgres:database.database', 'host:file.unit@lime', 'host:file.env@lime', 'host:template.pgpass@lime']) assert.ok(r.out.includes(`+ ${id}`), `${id} in\n${r.out}`);
  });

  test('commit creates the role and database, and the unit, env and password files on the host', async () => {
    const r = await run('commit', '-f', 'shop/.infra.yaml', '--yes', '--events', 'events.jsonl');
    assert.equal(r.code, 0, r.out + r.err);
    assert.ok(!(await readFile(path.join(dir, 'events.jsonl'), 'utf8')).includes('Secret'), 'the password is not in the events');
    for (const file of await readdir(path.join(dir, 'shop/.runestone'))) {
      assert.ok(!(await readFile(path.join(dir, 'shop/.runestone', file))).includes('Secret'), `the password is not in .runestone/${file}`);
    }
    assert.match(r.out, /\nHosts:\n {2}lime {2}ok: 3 done\n/);
    assert.equal(await one("select pg_get_userbyid(datdba) from pg_database where datname = 'shop'"), 'shop_app');
    assert.equal((await pg.psql('select current_user', { user: 'shop_app', password: PASSWORD, database: 'shop' })).trim(), 'shop_app');

    const files = `${target}/systemd/shop.service ${target}/etc/shop.env ${target}/etc/shop.pgpass`;
    assert.deepEqual(await lime.ssh(`stat -c %a ${files}`), { code: 0, stdout: '644\n644\n600\n', stderr: '' });
    assert.equal((await lime.ssh(`cat ${target}/systemd/shop.service`)).stdout, UNIT);
    assert.equal(
      (await lime.ssh(`cat ${target}/etc/shop.env`)).stdout,
      `# Written by Runestone from shop/.infra.yaml (project "shop", prod).\nPORT=8090\nPGHOST=127.0.0.1\nPGPORT=${String(pg.port)}\nPGDATABASE=shop\nPGUSER=shop_app\nPGPASSFILE=${target}/etc/shop.pgpass\n`,
    );
    assert.equal((await lime.ssh(`cat ${target}/etc/shop.pgpass`)).stdout, `*:*:shop:shop_app:shop\\:Secret\\\\42\n`);
  });

  test('a second commit reports no changes', async () => {
    const r = await run('commit', '-f', 'shop/.infra.yaml', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /No changes\. Infrastructure matches the configuration\./);
    assert.equal((await run('preview', '-f', 'shop/.infra.yaml', '--detect-changes')).code, 0);
  });

  test('without a mesh hosts file the service is left out with a warning', async () => {
    // Only the manifest's directory and its parent are searched; dir/mesh-hosts.json is two up.
    await writeFiles(dir, { 'far/lone/.infra.yaml': 'apiVersion: infra/v1\nproject: lone\nprovider: bare-metal\nservice: { host: lime, port: 1 }\n' });
    const r = await run('preview', '-f', 'far/lone/.infra.yaml', '--detect-changes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.err, /far\/lone\/\.infra\.yaml:4:10: warning RS_MANIFEST_W0002: Service of project "lone" not compiled/);
  });

  test('a service host the mesh hosts file does not list is refused with a suggestion', async () => {
    await writeFiles(dir, { 'typo/.infra.yaml': 'apiVersion: infra/v1\nproject: typo\nprovider: bare-metal\nservice: { host: limee, port: 1 }\n' });
    const r = await run('preview', '-f', 'typo/.infra.yaml');
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /RS_HOST_E0037/);
    assert.match(r.err, /Did you mean "lime"\?/);
  });

  test('dismantle removes the files on the host, then the database and the role', async () => {
    const r = await run('dismantle', '-f', 'shop/.infra.yaml', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.deepEqual(await lime.ssh(`ls -A ${target}/systemd ${target}/etc`), { code: 0, stdout: `${target}/etc:\n\n${target}/systemd:\n`, stderr: '' });
    assert.equal(await one("select count(*) from pg_database where datname = 'shop'"), '0');
    assert.equal(await one("select count(*) from pg_roles where rolname = 'shop_app'"), '0');
  });
});

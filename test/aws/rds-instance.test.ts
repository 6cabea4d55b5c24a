// aws:rds:instance against a real moto server, driven through the CLI and checked with the
// AWS CLI: create, drift on the instance class, align, dismantle.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { removeDir, runestone, writeFiles, writeStack, type CliResult } from '../helpers/cli.ts';
import { motoStack } from '../helpers/moto-stack.ts';

const PASSWORD = 'Sup3r-secret-pw';
const STACK = `project: shop
environment: dev
variables:
  db_password: { default: ${PASSWORD}, secret: true }
providers:
  aws: { region: us-east-1 }
resources:
  - kind: aws:rds:instance
    name: orders
    properties:
      engine: postgres
      engine_version: "16.3"
      instance_class: db.t3.micro
      storage_gb: 20
      backup_enabled: \${environment == 'prod'}
      username: app
      password: \${db_password}
      tags: { team: data }
outputs:
  endpoint: \${res.orders.endpoint}
`;

interface DbInstance {
  readonly DBInstanceIdentifier: string;
  readonly DBInstanceClass: string;
  readonly Engine: string;
  readonly AllocatedStorage: number;
  readonly BackupRetentionPeriod: number;
  readonly DBInstanceArn: string;
}

describe('aws:rds:instance against moto', () => {
  const stack = motoStack({ 'runestone.yaml': STACK });
  const { run } = stack;
  const instances = async (): Promise<DbInstance[]> => ((await stack.moto.aws(['rds', 'describe-db-instances'])).json as { DBInstances: DbInstance[] }).DBInstances;

  test('commit creates the instance with its settings and ownership tags, and never prints the password', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /\+ Created aws:rds:instance\.orders/);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(PASSWORD));
    // The cache (and its SQLite journal files) never holds the password: live state has none.
    const cacheDir = path.join(stack.dir, '.runestone');
    const cacheFiles = (await readdir(cacheDir)).filter((name) => name.startsWith('cache.db'));
    assert.ok(cacheFiles.includes('cache.db'));
    for (const name of cacheFiles) assert.ok(!(await readFile(path.join(cacheDir, name))).includes(PASSWORD), `${name} holds the password`);
    const [db, ...rest] = await instances();
    assert.deepEqual(rest, []);
    assert.ok(db !== undefined);
    assert.deepEqual(
      { id: db.DBInstanceIdentifier, engine: db.Engine, klass: db.DBInstanceClass, storage: db.AllocatedStorage, retention: db.BackupRetentionPeriod },
      { id: 'shop-dev-orders', engine: 'postgres', klass: 'db.t3.micro', storage: 20, retention: 0 },
    );
    const tags = (await stack.moto.aws(['rds', 'list-tags-for-resource', '--resource-name', db.DBInstanceArn])).json as { TagList: { Key: string; Value: string }[] };
    assert.deepEqual(Object.fromEntries(tags.TagList.map((tag) => [tag.Key, tag.Value])), { team: 'data', 'runestone:stack': 'shop/dev', 'runestone:address': 'aws:rds:instance.orders' });
    const again = await run('preview', '--detect-changes');
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.out, /No changes\./);
  });

  test('an instance class changed out of band is drift, and align puts it back', async () => {
    const modified = await stack.moto.aws(['rds', 'modify-db-instance', '--db-instance-identifier', 'shop-dev-orders', '--db-instance-class', 'db.t3.small', '--apply-immediately']);
    assert.equal(modified.code, 0, modified.stderr);
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4, preview.out + preview.err);
    assert.match(preview.out, /Drift detected:\n {2}• aws:rds:instance\.orders instance_class is "db\.t3\.small" \(expected "db\.t3\.micro"\)\n/);
    const align = await run('align');
    assert.equal(align.code, 0, align.out + align.err);
    assert.equal((await instances())[0]?.DBInstanceClass, 'db.t3.micro');
    assert.match((await run('preview', '--detect-changes')).out, /No changes\./);
  });

  test('dismantle deletes the instance and leaves nothing tagged with the stack', async () => {
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.deepEqual(await instances(), []);
    const left = (await stack.moto.aws(['resourcegroupstaggingapi', 'get-resources', '--tag-filters', 'Key=runestone:stack,Values=shop/dev'])).json as { ResourceTagMappingList: unknown[] };
    assert.deepEqual(left.ResourceTagMappingList, []);
  });

  test('an untagged instance is refused, then taken over with adopt: true', async () => {
    const made = await stack.moto.aws(['rds', 'create-db-instance', '--db-instance-identifier', 'legacy-db', '--engine', 'mysql', '--db-instance-class', 'db.t3.micro', '--allocated-storage', '20', '--master-username', 'root', '--master-user-password', 'Legacy-pw-123']);
    assert.equal(made.code, 0, made.stderr);
    const body = `project: shop\nenvironment: dev\nresources:\n  - kind: aws:rds:instance\n    name: legacy\n    properties: { identifier: legacy-db, engine: mysql, instance_class: db.t3.micro, backup_enabled: false, username: root, password: Legacy-pw-123 }\n`;
    const refusedDir = await writeStack({ 'runestone.yaml': body });
    const adoptDir = await writeStack({ 'runestone.yaml': body.replace('    properties:', '    adopt: true\n    properties:') });
    try {
      const refused = await runestone(['preview'], { cwd: refusedDir, env: stack.moto.env });
      assert.equal(refused.code, 2, refused.out + refused.err);
      assert.match(refused.err, /RS_ENGINE_E0014: Cannot create "aws:rds:instance\.legacy": "legacy-db" already exists and is not managed by Runestone/);
      const adopted = await runestone(['commit', '--yes'], { cwd: adoptDir, env: stack.moto.env });
      assert.equal(adopted.code, 0, adopted.out + adopted.err);
      const db = (await instances()).find((instance) => instance.DBInstanceIdentifier === 'legacy-db');
      assert.equal(db?.BackupRetentionPeriod, 0);
      const tags = (await stack.moto.aws(['rds', 'list-tags-for-resource', '--resource-name', db.DBInstanceArn])).json as { TagList: { Key: string; Value: string }[] };
      assert.deepEqual(Object.fromEntries(tags.TagList.map((tag) => [tag.Key, tag.Value])), { 'runestone:stack': 'shop/dev', 'runestone:address': 'aws:rds:instance.legacy' });
      const clean = await runestone(['preview', '--detect-changes'], { cwd: adoptDir, env: stack.moto.env });
      assert.equal(clean.code, 0, clean.out + clean.err);
      assert.equal((await runestone(['dismantle', '--yes'], { cwd: adoptDir, env: stack.moto.env })).code, 0);
    } finally {
      await Promise.all([removeDir(refusedDir), removeDir(adoptDir)]);
    }
  });

  test('the seed\'s fields alone make a PostgreSQL db.t3.micro whose password RDS keeps in Secrets Manager', async () => {
    const seed = (password: string): string => `project: seed\nenvironment: prod\nresources:
  - kind: aws:rds:instance
    name: analytics-db
    properties:
      storage_gb: "\${environment == 'prod' ? 100 : 20}"
      backup_enabled: "\${environment == 'prod'}"${password}
outputs:
  secret: \${res['analytics-db'].master_user_secret_arn}
`;
    const seedDir = await writeStack({ 'runestone.yaml': seed('') });
    const cli = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: seedDir, env: stack.moto.env });
    interface Described extends DbInstance {
      readonly MasterUsername: string;
      readonly MasterUserSecret?: { readonly SecretArn: string };
    }
    const describeSeed = async (): Promise<Described | undefined> =>
      ((await stack.moto.aws(['rds', 'describe-db-instances', '--db-instance-identifier', 'seed-prod-analytics-db'])).json as { DBInstances: Described[] } | undefined)?.DBInstances[0];
    try {
      const commit = await cli('commit', '--yes');
      assert.equal(commit.code, 0, commit.out + commit.err);
      const db = await describeSeed();
      assert.ok(db !== undefined);
      assert.deepEqual(
        { engine: db.Engine, klass: db.DBInstanceClass, storage: db.AllocatedStorage, retention: db.BackupRetentionPeriod, user: db.MasterUsername },
        { engine: 'postgres', klass: 'db.t3.micro', storage: 100, retention: 7, user: 'postgres' },
      );
      const secretArn = db.MasterUserSecret?.SecretArn;
      assert.ok(secretArn !== undefined, 'no MasterUserSecret: ManageMasterUserPassword was not sent');
      assert.ok(commit.stdout.includes(`secret = "${secretArn}"`), commit.stdout);
      assert.equal((await stack.moto.aws(['secretsmanager', 'describe-secret', '--secret-id', secretArn])).code, 0);
      const clean = await cli('preview', '--detect-changes');
      assert.equal(clean.code, 0, clean.out + clean.err);

      // A password in the config takes it back from Secrets Manager.
      await writeFiles(seedDir, { 'runestone.yaml': seed(`\n      password: ${PASSWORD}`) });
      const preview = await cli('preview');
      assert.match(preview.out, /~ aws:rds:instance\.analytics-db/);
      const given = await cli('commit', '--yes');
      assert.equal(given.code, 0, given.out + given.err);
      assert.equal((await describeSeed())?.MasterUserSecret, undefined);
      assert.equal((await cli('preview', '--detect-changes')).code, 0);

      const dismantle = await cli('dismantle', '--yes');
      assert.equal(dismantle.code, 0, dismantle.out + dismantle.err);
      assert.equal(await describeSeed(), undefined);
    } finally {
      await removeDir(seedDir);
    }
  });
});

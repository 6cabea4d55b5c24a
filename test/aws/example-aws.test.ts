// examples/aws (the seed's analytics platform, AWS parts) end to end against moto, with the
// database password from a secret variable given in the environment.
import assert from 'node:assert/strict';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, removeDir, runestone, tempDir, type CliResult } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const DB_PASSWORD = 'example-Passw0rd';

describe('examples/aws against moto', () => {
  let moto: Moto;
  let root: string;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: { ...moto.env, RUNESTONE_VAR_db_password: DB_PASSWORD } });

  before(async () => {
    moto = await startMoto();
    // The example sources the module as ../../modules/aws-vpc: keep that layout.
    root = await tempDir('rs-aws-example-');
    dir = path.join(root, 'examples', 'aws');
    await mkdir(dir, { recursive: true });
    await cp(path.join(REPO_ROOT, 'examples', 'aws'), dir, { recursive: true });
    await cp(path.join(REPO_ROOT, 'modules'), path.join(root, 'modules'), { recursive: true });
  });
  after(async () => {
    await moto.stop();
    await removeDir(root);
  });

  test('bootstrap, preview, commit, a clean preview, then dismantle leaves nothing tagged', async () => {
    const boot = await run('bootstrap');
    assert.equal(boot.code, 0, boot.out + boot.err);
    assert.match(boot.out, /Module vpc \(local \.\.\/\.\.\/modules\/aws-vpc\)/);

    const preview = await run('preview');
    assert.equal(preview.code, 0, preview.err);
    assert.match(preview.out, /\+ 10 new resources will be created/);

    const commit = await run('commit', '--yes');
    assert.equal(commit.code, 0, commit.out + commit.err);
    assert.match(commit.out, /logs_bucket = "analytics-platform-prod-logs-main"/);
    assert.match(commit.out, /loader_role = "arn:aws:iam::123456789012:role\/analytics-platform-prod-data-loader"/);

    const buckets = (await moto.aws(['s3api', 'list-buckets'])).json as { Buckets: { Name: string }[] };
    assert.deepEqual(buckets.Buckets.map((b) => b.Name).sort(), [
      'analytics-platform-prod-archive-0',
      'analytics-platform-prod-archive-1',
      'analytics-platform-prod-logs-main',
      'analytics-platform-prod-logs-us-east-1',
      'analytics-platform-prod-logs-us-west-2',
    ]);
    const lifecycle = (await moto.aws(['s3api', 'get-bucket-lifecycle-configuration', '--bucket', 'analytics-platform-prod-archive-1'])).json as { Rules: { Expiration: { Days: number } }[] };
    assert.equal(lifecycle.Rules[0]?.Expiration.Days, 365);
    const dbs = (await moto.aws(['rds', 'describe-db-instances'])).json as {
      DBInstances: { DBInstanceIdentifier: string; DBInstanceClass: string; AllocatedStorage: number; BackupRetentionPeriod: number; Endpoint: { Address: string } }[];
    };
    assert.deepEqual(
      dbs.DBInstances.map((db) => [db.DBInstanceIdentifier, db.DBInstanceClass, db.AllocatedStorage, db.BackupRetentionPeriod]),
      [['analytics-platform-prod-analytics-db', 'db.t3.medium', 100, 7]],
    );
    assert.ok(commit.out.includes(`db_endpoint = "${dbs.DBInstances[0]?.Endpoint.Address ?? '?'}"`), commit.out);
    assert.doesNotMatch(commit.stdout + commit.stderr, new RegExp(DB_PASSWORD));

    const clean = await run('preview', '--detect-changes');
    assert.equal(clean.code, 0, clean.out);

    const dismantle = await run('dismantle', '--yes');
    assert.equal(dismantle.code, 0, dismantle.out + dismantle.err);
    const left = (await moto.aws(['resourcegroupstaggingapi', 'get-resources', '--tag-filters', 'Key=runestone:stack,Values=analytics-platform/prod'])).json as { ResourceTagMappingList: unknown[] };
    assert.deepEqual(left.ResourceTagMappingList, []);
    assert.deepEqual(((await moto.aws(['rds', 'describe-db-instances'])).json as { DBInstances: unknown[] }).DBInstances, []);
    assert.notEqual((await moto.aws(['iam', 'get-role', '--role-name', 'analytics-platform-prod-data-loader'])).code, 0);
  });
});

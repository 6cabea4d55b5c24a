// aws:s3:bucket against a real moto server, driven through the CLI and checked with the AWS CLI:
// the seed's loop of commit → out-of-band drift → preview → align → dismantle.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { removeDir, runestone, writeStack } from '../helpers/cli.ts';
import { motoStack } from '../helpers/moto-stack.ts';

const STACK = `project: shop
environment: dev
variables:
  tags: { owner: platform }
providers:
  aws: { region: us-east-1 }
resources:
  - kind: aws:s3:bucket
    name: logs
    properties:
      versioning: true
      tags: \${tags}
      encryption: { algorithm: AES256 }
      public_access_block: {}
      policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::shop-dev-logs"}]}'
      lifecycle_rules: [{ id: expire, expiration_days: 30 }]
  - kind: aws:s3:bucket
    name: data-\${index}
    count: 2
    properties:
      tags: { env: "\${environment == 'prod' ? 'prod' : 'dev'}" }
      force_destroy: true
`;

describe('aws:s3:bucket against moto', () => {
  const stack = motoStack({ 'runestone.yaml': STACK });
  const { run } = stack;
  const tagsOf = async (bucket: string): Promise<Record<string, string>> => {
    const result = await stack.moto.aws(['s3api', 'get-bucket-tagging', '--bucket', bucket]);
    const set = (result.json as { TagSet: { Key: string; Value: string }[] }).TagSet;
    return Object.fromEntries(set.map((tag) => [tag.Key, tag.Value]));
  };

  test('bootstrap names the account through STS', async () => {
    const r = await run('bootstrap');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Provider aws: aws provider ready \(account 123456789012, region us-east-1/);
  });

  test('commit creates the buckets with every setting and the ownership tags', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.err);
    assert.equal((r.out.match(/\+ Created aws:s3:bucket\./g) ?? []).length, 3);
    assert.deepEqual(await tagsOf('shop-dev-logs'), { owner: 'platform', 'runestone:stack': 'shop/dev', 'runestone:address': 'aws:s3:bucket.logs' });
    assert.equal(((await stack.moto.aws(['s3api', 'get-bucket-versioning', '--bucket', 'shop-dev-logs'])).json as { Status: string }).Status, 'Enabled');
    const encryption = (await stack.moto.aws(['s3api', 'get-bucket-encryption', '--bucket', 'shop-dev-logs'])).json as {
      ServerSideEncryptionConfiguration: { Rules: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: string } }[] };
    };
    assert.equal(encryption.ServerSideEncryptionConfiguration.Rules[0]?.ApplyServerSideEncryptionByDefault.SSEAlgorithm, 'AES256');
    const lifecycle = (await stack.moto.aws(['s3api', 'get-bucket-lifecycle-configuration', '--bucket', 'shop-dev-logs'])).json as { Rules: { ID: string }[] };
    assert.equal(lifecycle.Rules[0]?.ID, 'expire');
    assert.deepEqual(await tagsOf('shop-dev-data-1'), { env: 'dev', 'runestone:stack': 'shop/dev', 'runestone:address': 'aws:s3:bucket.data-1' });
    const again = await run('preview', '--detect-changes');
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /No changes\. Infrastructure matches the configuration\./);
  });

  test('out-of-band changes show as drift, align heals them, preview is clean again', async () => {
    await stack.moto.aws(['s3api', 'put-bucket-tagging', '--bucket', 'shop-dev-logs', '--tagging', 'TagSet=[{Key=owner,Value=platform},{Key=env,Value=qa},{Key=runestone:stack,Value=shop/dev},{Key=runestone:address,Value=aws:s3:bucket.logs}]']);
    await stack.moto.aws(['s3api', 'put-bucket-versioning', '--bucket', 'shop-dev-logs', '--versioning-configuration', 'Status=Suspended']);
    assert.equal((await stack.moto.aws(['s3api', 'delete-bucket', '--bucket', 'shop-dev-data-1'])).code, 0);

    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4);
    assert.match(
      preview.out,
      /Drift detected:\n {2}• aws:s3:bucket\.data-1 was deleted outside Runestone \(last seen [^)]+\)\n {2}• aws:s3:bucket\.logs has extra tag "env=qa"\n {2}• aws:s3:bucket\.logs versioning is false \(expected true\)\n/,
    );
    assert.match(preview.out, /\+ 1 new resource will be created\n {4}\+ aws:s3:bucket\.data-1\n/);

    const align = await run('align');
    assert.equal(align.code, 0, align.err);
    assert.match(align.out, /Infrastructure aligned \(3 drift issues resolved\)/);
    assert.equal((await tagsOf('shop-dev-logs'))['env'], undefined);
    assert.equal((await stack.moto.aws(['s3api', 'head-bucket', '--bucket', 'shop-dev-data-1'])).code, 0);
    assert.match((await run('preview')).out, /No changes\./);
  });

  test('dismantle empties force_destroy buckets and leaves nothing tagged with the stack', async () => {
    assert.equal((await stack.moto.aws(['s3api', 'put-object', '--bucket', 'shop-dev-data-0', '--key', 'a.txt', '--body', '/etc/hostname'])).code, 0);
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    const left = (await stack.moto.aws(['resourcegroupstaggingapi', 'get-resources', '--tag-filters', 'Key=runestone:stack,Values=shop/dev'])).json as { ResourceTagMappingList: unknown[] };
    assert.deepEqual(left.ResourceTagMappingList, []);
  });

  test('an existing bucket is refused unless adopt: true, then taken over', async () => {
    assert.equal((await stack.moto.aws(['s3api', 'create-bucket', '--bucket', 'legacy-reports'])).code, 0);
    const body = 'project: shop\nenvironment: dev\nresources:\n  - kind: aws:s3:bucket\n    name: reports\n    properties: { name: legacy-reports }\n';
    const adoptDir = await writeStack({ 'runestone.yaml': body });
    try {
      const refused = await runestone(['preview'], { cwd: adoptDir, env: stack.moto.env });
      assert.equal(refused.code, 2, refused.err);
      assert.match(refused.err, /RS_ENGINE_E0014: Cannot create "aws:s3:bucket\.reports": "legacy-reports" already exists and is not managed by Runestone/);
      assert.match(refused.err, /hint: Set adopt: true/);
      await writeStack({ 'runestone.yaml': body.replace('    properties:', '    adopt: true\n    properties:') }).then(async (adopting) => {
        const commit = await runestone(['commit', '--yes'], { cwd: adopting, env: stack.moto.env });
        assert.equal(commit.code, 0, commit.out + commit.err);
        assert.equal((await tagsOf('legacy-reports'))['runestone:stack'], 'shop/dev');
        await removeDir(adopting);
      });
    } finally {
      await removeDir(adoptDir);
    }
  });
});

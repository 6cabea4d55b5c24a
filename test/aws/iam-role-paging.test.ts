// aws:iam:role against a real moto server: every page of a role's attached policies is read
// (through the kind with a small page size, counting the calls), and a role that was put in
// an instance profile out of band is taken out of it before DeleteRole (through the CLI,
// checked with the AWS CLI).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DesiredResource, ProviderContext } from '../../src/providers/contract.ts';
import { AwsClients } from '../../src/providers/aws/clients.ts';
import { DEFAULT_MAX_CONCURRENCY } from '../../src/providers/aws/config.ts';
import { createIamRoleKind } from '../../src/providers/aws/kinds/iam-role.ts';
import { removeDir, runestone, writeStack } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const MANAGED = ['AmazonS3ReadOnlyAccess', 'AmazonEC2ReadOnlyAccess', 'AmazonDynamoDBReadOnlyAccess', 'CloudWatchReadOnlyAccess', 'AmazonSQSReadOnlyAccess'].map(
  (name) => `arn:aws:iam::aws:policy/${name}`,
);
const INLINE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

describe('aws:iam:role paging and instance profiles against moto', () => {
  let moto: Moto;
  const saved = { ...process.env };

  before(async () => {
    moto = await startMoto();
    // The kind is driven in-process here: its SDK clients read credentials from the environment.
    Object.assign(process.env, moto.env);
  });
  after(async () => {
    for (const key of Object.keys(moto.env)) {
      if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = saved[key];
    }
    await moto.stop();
  });

  test('read follows Marker/IsTruncated through every page of attached policies, and delete detaches them all', async () => {
    const name = 'paged-role';
    const tags = 'Key=runestone:stack,Value=iam/dev Key=runestone:address,Value=aws:iam:role.paged';
    assert.equal((await moto.aws(['iam', 'create-role', '--role-name', name, '--assume-role-policy-document', TRUST, '--tags', ...tags.split(' ')])).code, 0);
    for (const arn of MANAGED) assert.equal((await moto.aws(['iam', 'attach-role-policy', '--role-name', name, '--policy-arn', arn])).code, 0);
    for (const policy of ['a', 'b', 'c']) {
      assert.equal((await moto.aws(['iam', 'put-role-policy', '--role-name', name, '--policy-name', policy, '--policy-document', JSON.stringify(INLINE)])).code, 0);
    }

    const calls: string[] = [];
    const clients = new AwsClients({ region: 'us-east-1', profile: undefined, endpoint: moto.endpoint, endpoints: {}, maxAttempts: 1, maxConcurrency: DEFAULT_MAX_CONCURRENCY }, { count: (_service, operation) => calls.push(operation) });
    const kind = createIamRoleKind(() => clients, { pageSize: 2 });
    const ctx: ProviderContext = { signal: new AbortController().signal, stack: 'iam/dev', baseDir: '.', output: () => undefined, dryRun: false };
    const desired: DesiredResource = {
      address: 'aws:iam:role.paged',
      stack: 'iam/dev',
      kind: 'aws:iam:role',
      name: 'paged',
      properties: { name, assume_role_policy: TRUST, managed_policy_arns: MANAGED, inline_policies: {} },
    };

    const live = await kind.read(desired, ctx);
    assert.ok(live !== undefined);
    assert.deepEqual(live.properties['managed_policy_arns'], MANAGED);
    assert.deepEqual(Object.keys(live.properties['inline_policies'] as object).sort(), ['a', 'b', 'c']);
    // Five policies two to a page: three calls, the last without IsTruncated.
    assert.equal(calls.filter((op) => op === 'ListAttachedRolePolicies').length, 3);

    await kind.delete(live, ctx);
    assert.notEqual((await moto.aws(['iam', 'get-role', '--role-name', name])).code, 0);
    assert.ok(calls.includes('ListInstanceProfilesForRole'));
  });

  test('dismantle takes the role out of an instance profile made out of band, and leaves the profile', async () => {
    const dir = await writeStack({
      'runestone.yaml': `project: iam
environment: dev
providers:
  aws: { region: us-east-1 }
resources:
  - kind: aws:iam:role
    name: web
    properties:
      assume_role_policy: '${TRUST}'
      managed_policy_arns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
`,
    });
    try {
      const commit = await runestone(['commit', '--yes'], { cwd: dir, env: moto.env });
      assert.equal(commit.code, 0, commit.out + commit.err);
      assert.equal((await moto.aws(['iam', 'create-instance-profile', '--instance-profile-name', 'web-profile'])).code, 0);
      assert.equal((await moto.aws(['iam', 'add-role-to-instance-profile', '--instance-profile-name', 'web-profile', '--role-name', 'iam-dev-web'])).code, 0);

      const dismantle = await runestone(['dismantle', '--yes'], { cwd: dir, env: moto.env });
      assert.equal(dismantle.code, 0, dismantle.out + dismantle.err);
      assert.match(dismantle.out, /removed role "iam-dev-web" from instance profile "web-profile"/);
      assert.notEqual((await moto.aws(['iam', 'get-role', '--role-name', 'iam-dev-web'])).code, 0);
      const profile = (await moto.aws(['iam', 'get-instance-profile', '--instance-profile-name', 'web-profile'])).json as { InstanceProfile: { Roles: unknown[] } };
      assert.deepEqual(profile.InstanceProfile.Roles, []);
    } finally {
      await removeDir(dir);
    }
  });
});

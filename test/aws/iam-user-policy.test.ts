// aws:iam:user and aws:iam:policy against a real moto server, driven through the CLI and
// checked with the AWS CLI: commit → no changes → out-of-band tag and policy version are
// drift → align heals → document edits add versions (pruned at five) → dropped from config
// they are found by IAM discovery and removed → dismantle leaves nothing.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, stack, writeStack, type CliResult } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const POLICY_ARN = 'arn:aws:iam::123456789012:policy/team/e2e-dev-reader';

function config(action: string, options: { readonly withUserAndPolicy?: boolean } = {}): string {
  const iam = `
  - kind: aws:iam:user
    name: ci
    properties:
      path: /bots/
      tags: { team: data }
  - kind: aws:iam:policy
    name: reader
    properties:
      path: /team/
      description: Reads the bucket
      document:
        Version: "2012-10-17"
        Statement: [{ Effect: Allow, Action: "${action}", Resource: "*" }]
      tags: { team: data }`;
  return stack(`providers:
  aws: {}
resources:
  - kind: aws:iam:role
    name: app
    properties:
      assume_role_policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
${options.withUserAndPolicy === false ? '' : iam}
`);
}

interface PolicyVersion {
  readonly VersionId: string;
  readonly IsDefaultVersion: boolean;
}

describe('aws:iam:user and aws:iam:policy end to end against moto', () => {
  let moto: Moto;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: moto.env });
  const userTags = async (): Promise<Record<string, string>> =>
    Object.fromEntries(((await moto.aws(['iam', 'list-user-tags', '--user-name', 'e2e-dev-ci'])).json as { Tags: { Key: string; Value: string }[] }).Tags.map((t) => [t.Key, t.Value]));
  const versions = async (): Promise<PolicyVersion[]> => ((await moto.aws(['iam', 'list-policy-versions', '--policy-arn', POLICY_ARN])).json as { Versions: PolicyVersion[] }).Versions;
  const defaultDocument = async (): Promise<unknown> => {
    const id = (await versions()).find((v) => v.IsDefaultVersion)?.VersionId ?? '';
    return ((await moto.aws(['iam', 'get-policy-version', '--policy-arn', POLICY_ARN, '--version-id', id])).json as { PolicyVersion: { Document: unknown } }).PolicyVersion.Document;
  };
  const document = (action: string): unknown => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

  before(async () => {
    moto = await startMoto();
    dir = await writeStack({ 'runestone.yaml': config('s3:GetObject') });
  });
  after(async () => {
    await removeDir(dir);
    await moto.stop();
  });

  test('commit creates the user and the policy with ownership tags', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const user = (await moto.aws(['iam', 'get-user', '--user-name', 'e2e-dev-ci'])).json as { User: { Path: string } };
    assert.equal(user.User.Path, '/bots/');
    assert.deepEqual(await userTags(), { team: 'data', 'runestone:stack': 'e2e/dev', 'runestone:address': 'aws:iam:user.ci' });
    const policy = (await moto.aws(['iam', 'get-policy', '--policy-arn', POLICY_ARN])).json as { Policy: { Description: string } };
    assert.equal(policy.Policy.Description, 'Reads the bucket');
    assert.deepEqual(await defaultDocument(), document('s3:GetObject'));
    assert.equal((await run('preview', '--detect-changes')).code, 0, 'no changes right after commit');
  });

  test('an extra user tag and a new default policy version made out of band are drift that align heals', async () => {
    assert.equal((await moto.aws(['iam', 'tag-user', '--user-name', 'e2e-dev-ci', '--tags', 'Key=env,Value=qa'])).code, 0);
    assert.equal((await moto.aws(['iam', 'create-policy-version', '--policy-arn', POLICY_ARN, '--policy-document', JSON.stringify(document('s3:*')), '--set-as-default'])).code, 0);
    const p = await run('preview', '--detect-changes');
    assert.equal(p.code, 4, p.stdout + p.stderr);
    assert.match(p.out, /aws:iam:user\.ci has extra tag "env=qa"/);
    assert.match(p.out, /aws:iam:policy\.reader .*document/);
    const a = await run('align');
    assert.equal(a.code, 0, a.stdout + a.stderr);
    assert.equal((await userTags())['env'], undefined);
    assert.deepEqual(await defaultDocument(), document('s3:GetObject'));
    assert.equal((await run('preview', '--detect-changes')).code, 0);
  });

  test('document edits add default versions and prune the oldest at five', async () => {
    for (const action of ['s3:ListBucket', 's3:PutObject', 's3:DeleteObject', 's3:GetBucketTagging']) {
      await writeFile(path.join(dir, 'runestone.yaml'), config(action));
      const r = await run('commit', '--yes');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(await defaultDocument(), document(action));
      assert.ok((await versions()).length <= 5);
    }
    assert.equal((await versions()).length, 5);
  });

  test('a user and a policy dropped from config are found by IAM discovery and removed by commit', async () => {
    await writeFile(path.join(dir, 'runestone.yaml'), config('s3:GetObject', { withUserAndPolicy: false }));
    const p = await run('preview');
    assert.equal(p.code, 0, p.stdout + p.stderr);
    assert.match(p.out, /- aws:iam:policy\.reader/);
    assert.match(p.out, /- aws:iam:user\.ci/);
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(((await moto.aws(['iam', 'list-users'])).json as { Users: unknown[] }).Users, []);
    assert.deepEqual(((await moto.aws(['iam', 'list-policies', '--scope', 'Local'])).json as { Policies: unknown[] }).Policies, []);
  });

  test('dismantle leaves no IAM entity of the stack', async () => {
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(((await moto.aws(['iam', 'list-roles'])).json as { Roles: unknown[] }).Roles, []);
  });
});

// aws:iam:role against a real moto server through the CLI, checked with the AWS CLI.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { motoStack } from '../helpers/moto-stack.ts';

const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

const STACK = `project: iam
environment: dev
providers:
  aws: { region: us-east-1 }
resources:
  - kind: aws:iam:role
    name: loader
    properties:
      assume_role_policy: '${TRUST}'
      managed_policy_arns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
      inline_policies:
        logs:
          Version: "2012-10-17"
          Statement: [{ Effect: Allow, Action: "logs:PutLogEvents", Resource: "*" }]
      tags: { team: data }
  - kind: aws:iam:role
    name: helper
    properties:
      assume_role_policy: '${TRUST}'
outputs:
  role_arn: \${res.loader.arn}
`;

describe('aws:iam:role against moto', () => {
  const stack = motoStack({ 'runestone.yaml': STACK });
  const { run } = stack;
  const attached = async (role: string): Promise<string[]> =>
    ((await stack.moto.aws(['iam', 'list-attached-role-policies', '--role-name', role])).json as { AttachedPolicies: { PolicyArn: string }[] }).AttachedPolicies.map((p) => p.PolicyArn).sort();

  test('commit creates the roles with trust, managed and inline policies and tags', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /role_arn = "arn:aws:iam::123456789012:role\/iam-dev-loader"/);
    const role = (await stack.moto.aws(['iam', 'get-role', '--role-name', 'iam-dev-loader'])).json as { Role: { AssumeRolePolicyDocument: unknown } };
    assert.deepEqual(role.Role.AssumeRolePolicyDocument, JSON.parse(TRUST));
    assert.deepEqual(await attached('iam-dev-loader'), ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
    const inline = (await stack.moto.aws(['iam', 'list-role-policies', '--role-name', 'iam-dev-loader'])).json as { PolicyNames: string[] };
    assert.deepEqual(inline.PolicyNames, ['logs']);
    const tags = (await stack.moto.aws(['iam', 'list-role-tags', '--role-name', 'iam-dev-loader'])).json as { Tags: { Key: string; Value: string }[] };
    assert.deepEqual(Object.fromEntries(tags.Tags.map((t) => [t.Key, t.Value])), { team: 'data', 'runestone:stack': 'iam/dev', 'runestone:address': 'aws:iam:role.loader' });
    assert.match((await run('preview')).out, /No changes\./);
  });

  test('a policy attached out of band is drift and align detaches it', async () => {
    assert.equal((await stack.moto.aws(['iam', 'attach-role-policy', '--role-name', 'iam-dev-loader', '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess'])).code, 0);
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4);
    assert.match(preview.out, /Drift detected:\n {2}• aws:iam:role\.loader managed_policy_arns is /);
    assert.equal((await run('align')).code, 0);
    assert.deepEqual(await attached('iam-dev-loader'), ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
  });

  test('a role dropped from config is found (IAM has no Tagging API) and removed by commit', async () => {
    await writeFile(path.join(stack.dir, 'runestone.yaml'), STACK.replace(/ {2}- kind: aws:iam:role\n {4}name: helper\n {4}properties:\n {6}assume_role_policy: '[^\n]*'\n/, ''));
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /- Removed aws:iam:role\.helper/);
    assert.notEqual((await stack.moto.aws(['iam', 'get-role', '--role-name', 'iam-dev-helper'])).code, 0);
  });

  test('dismantle detaches, deletes inline policies and removes the role', async () => {
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.notEqual((await stack.moto.aws(['iam', 'get-role', '--role-name', 'iam-dev-loader'])).code, 0);
  });
});

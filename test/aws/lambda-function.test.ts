// aws:lambda:function with its IAM role against a real moto server, driven through the CLI
// and checked with the AWS CLI: role + inline policy + a function whose role is
// ${res.role.arn} and whose code is a directory → commit → no changes → a managed policy
// attached and the memory changed out of band are drift → align heals → a code edit
// updates the code → dismantle leaves nothing of the stack.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { zipSource } from '../../src/providers/aws/deterministic-zip.ts';
import { removeDir, runestone, stack, writeStack, type CliResult } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const EXTRA = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

const STACK = stack(`providers:
  aws: {}
resources:
  - kind: aws:iam:role
    name: role
    properties:
      assume_role_policy:
        Version: "2012-10-17"
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:AssumeRole" }]
      inline_policies:
        logs:
          Version: "2012-10-17"
          Statement: [{ Effect: Allow, Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" }]
  - kind: aws:lambda:function
    name: ingest
    properties:
      runtime: nodejs22.x
      handler: index.handler
      role: \${res.role.arn}
      source: ./fn
      environment: { STAGE: dev }
      memory_size: 256
      timeout: 10
      tags: { team: data }
outputs:
  function_arn: \${res.ingest.arn}
`);

interface FunctionConfig {
  readonly MemorySize: number;
  readonly CodeSha256: string;
  readonly Role: string;
  readonly Environment: { readonly Variables: Record<string, string> };
}

describe('aws:lambda:function end to end against moto', () => {
  let moto: Moto;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: moto.env });
  const fn = async (): Promise<FunctionConfig> => {
    const r = await moto.aws(['lambda', 'get-function-configuration', '--function-name', 'e2e-dev-ingest']);
    assert.equal(r.code, 0, r.stderr);
    return r.json as FunctionConfig;
  };
  const attached = async (): Promise<string[]> =>
    ((await moto.aws(['iam', 'list-attached-role-policies', '--role-name', 'e2e-dev-role'])).json as { AttachedPolicies: { PolicyArn: string }[] }).AttachedPolicies.map((p) => p.PolicyArn);

  before(async () => {
    moto = await startMoto();
    dir = await writeStack({
      'runestone.yaml': STACK,
      'fn/index.js': 'exports.handler = async () => ({ ok: true });\n',
      'fn/lib/util.js': 'module.exports = 1;\n',
    });
  });
  after(async () => {
    await removeDir(dir);
    await moto.stop();
  });

  test('commit creates the role, then the function with the zipped directory as code', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const role = (await moto.aws(['iam', 'get-role', '--role-name', 'e2e-dev-role'])).json as { Role: { Arn: string } };
    const config = await fn();
    assert.equal(config.Role, role.Role.Arn);
    assert.equal(config.MemorySize, 256);
    assert.deepEqual(config.Environment.Variables, { STAGE: 'dev' });
    assert.equal(config.CodeSha256, (await zipSource(path.join(dir, 'fn'))).sha256, 'the code is our deterministic zip');
    const tags = (await moto.aws(['lambda', 'list-tags', '--resource', `arn:aws:lambda:us-east-1:123456789012:function:e2e-dev-ingest`])).json as { Tags: Record<string, string> };
    assert.deepEqual(tags.Tags, { team: 'data', 'runestone:stack': 'e2e/dev', 'runestone:address': 'aws:lambda:function.ingest' });
    assert.match(r.out, /function_arn = "arn:aws:lambda:us-east-1:\d+:function:e2e-dev-ingest"/);
  });

  test('preview right after commit shows no changes', async () => {
    const r = await run('preview', '--detect-changes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test('preview shows an extra managed policy and changed memory made out of band, and align heals both', async () => {
    assert.equal((await moto.aws(['iam', 'attach-role-policy', '--role-name', 'e2e-dev-role', '--policy-arn', EXTRA])).code, 0);
    assert.equal((await moto.aws(['lambda', 'update-function-configuration', '--function-name', 'e2e-dev-ingest', '--memory-size', '512'])).code, 0);
    const p = await run('preview', '--detect-changes');
    assert.equal(p.code, 4, p.stdout + p.stderr);
    assert.match(p.out, /aws:lambda:function\.ingest memory_size is 512 \(expected 256\)/);
    assert.match(p.out, /aws:iam:role\.role managed_policy_arns .*AmazonS3ReadOnlyAccess/);
    const a = await run('align');
    assert.equal(a.code, 0, a.stdout + a.stderr);
    assert.equal((await fn()).MemorySize, 256);
    assert.deepEqual(await attached(), []);
    assert.equal((await run('preview', '--detect-changes')).code, 0);
  });

  test('code uploaded out of band is drift, and a local code edit is uploaded by commit', async () => {
    const other = path.join(dir, 'other.zip');
    await writeFile(other, (await zipSource(path.join(dir, 'runestone.yaml'))).bytes);
    assert.equal((await moto.aws(['lambda', 'update-function-code', '--function-name', 'e2e-dev-ingest', '--zip-file', `fileb://${other}`])).code, 0);
    const p = await run('preview', '--detect-changes');
    assert.equal(p.code, 4, p.stdout + p.stderr);
    assert.match(p.out, /aws:lambda:function\.ingest source is "code with sha256 [^"]+" \(expected "\.\/fn"\)/);

    await writeFile(path.join(dir, 'fn/index.js'), 'exports.handler = async () => ({ ok: 2 });\n');
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((await fn()).CodeSha256, (await zipSource(path.join(dir, 'fn'))).sha256);
    assert.equal((await run('preview', '--detect-changes')).code, 0);
  });

  test('dismantle deletes the function and the role; the AWS CLI finds nothing of the stack', async () => {
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(((await moto.aws(['lambda', 'list-functions'])).json as { Functions: unknown[] }).Functions, []);
    assert.deepEqual(((await moto.aws(['iam', 'list-roles'])).json as { Roles: unknown[] }).Roles, []);
    const tagged = await moto.aws(['resourcegroupstaggingapi', 'get-resources', '--tag-filters', 'Key=runestone:stack,Values=e2e/dev']);
    assert.deepEqual((tagged.json as { ResourceTagMappingList: unknown[] }).ResourceTagMappingList, []);
  });
});

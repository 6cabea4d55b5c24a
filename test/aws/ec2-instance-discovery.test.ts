// aws:ec2:instance without a subnet (the default VPC, as in the seed's spec) and its
// discovery: dropped from config, it is found through the Tagging API and terminated.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeFiles, writeStack, type CliResult } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const WITH_INSTANCE = `project: seedling
environment: dev
providers:
  aws: { region: us-east-1 }
resources:
  - kind: aws:ec2:instance
    name: worker
    properties:
      instance_type: t3.medium
      ami: ami-1e749f67
      tags:
        env: dev
`;

const WITHOUT_INSTANCE = `project: seedling
environment: dev
providers:
  aws: { region: us-east-1 }
resources:
  - kind: aws:s3:bucket
    name: logs
`;

interface Ec2Instance {
  readonly InstanceId: string;
  readonly State: { readonly Name: string };
  readonly VpcId: string;
}

describe('aws:ec2:instance in the default VPC, discovered when dropped from config', () => {
  let moto: Moto;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: moto.env });
  const instances = async (): Promise<Ec2Instance[]> => {
    const out = await moto.aws(['ec2', 'describe-instances', '--filters', 'Name=tag:runestone:stack,Values=seedling/dev']);
    assert.equal(out.code, 0, out.stderr);
    return (out.json as { Reservations: { Instances: Ec2Instance[] }[] }).Reservations.flatMap((r) => r.Instances);
  };

  before(async () => {
    moto = await startMoto();
    dir = await writeStack({ 'runestone.yaml': WITH_INSTANCE });
  });
  after(async () => {
    await moto.stop();
    await removeDir(dir);
  });

  test('commit launches it into the default VPC; a second preview has no changes', async () => {
    const commit = await run('commit', '--yes');
    assert.equal(commit.code, 0, commit.out + commit.err);
    const [instance, ...rest] = await instances();
    assert.deepEqual(rest, []);
    assert.equal(instance?.State.Name, 'running');
    const vpcs = (await moto.aws(['ec2', 'describe-vpcs', '--filters', 'Name=is-default,Values=true'])).json as { Vpcs: { VpcId: string }[] };
    assert.equal(instance.VpcId, vpcs.Vpcs[0]?.VpcId);
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 0, preview.out + preview.err);
  });

  test('dropped from config, discovery finds it and commit terminates it', async () => {
    await writeFiles(dir, { 'runestone.yaml': WITHOUT_INSTANCE });
    const preview = await run('preview');
    assert.equal(preview.code, 0, preview.out + preview.err);
    assert.match(preview.out, /- 1 resource will be removed\n\s+- aws:ec2:instance\.worker\n/);
    const commit = await run('commit', '--yes');
    assert.equal(commit.code, 0, commit.out + commit.err);
    assert.deepEqual(
      (await instances()).map((i) => i.State.Name),
      ['terminated'],
    );
    // Still listed by the Tagging API while terminated, but no longer a resource of the stack.
    const again = await run('preview', '--detect-changes');
    assert.equal(again.code, 0, again.out + again.err);
  });
});

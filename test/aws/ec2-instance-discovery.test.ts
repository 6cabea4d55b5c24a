// aws:ec2:instance without a subnet (the default VPC, as in the seed's spec) and its
// discovery: dropped from config, it is found through the Tagging API and terminated.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { writeFiles } from '../helpers/cli.ts';
import { motoStack } from '../helpers/moto-stack.ts';

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
  const stack = motoStack({ 'runestone.yaml': WITH_INSTANCE });
  const { run } = stack;
  const instances = async (): Promise<Ec2Instance[]> => {
    const out = await stack.moto.aws(['ec2', 'describe-instances', '--filters', 'Name=tag:runestone:stack,Values=seedling/dev']);
    assert.equal(out.code, 0, out.stderr);
    return (out.json as { Reservations: { Instances: Ec2Instance[] }[] }).Reservations.flatMap((r) => r.Instances);
  };

  test('commit launches it into the default VPC; a second preview has no changes', async () => {
    const commit = await run('commit', '--yes');
    assert.equal(commit.code, 0, commit.out + commit.err);
    const [instance, ...rest] = await instances();
    assert.deepEqual(rest, []);
    assert.equal(instance?.State.Name, 'running');
    const vpcs = (await stack.moto.aws(['ec2', 'describe-vpcs', '--filters', 'Name=is-default,Values=true'])).json as { Vpcs: { VpcId: string }[] };
    assert.equal(instance.VpcId, vpcs.Vpcs[0]?.VpcId);
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 0, preview.out + preview.err);
  });

  test('dropped from config, discovery finds it and commit terminates it', async () => {
    await writeFiles(stack.dir, { 'runestone.yaml': WITHOUT_INSTANCE });
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

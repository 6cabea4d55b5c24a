// The seed's VPC module (modules/aws-vpc: aws:ec2:vpc + aws:ec2:subnet) against a real moto
// server through the CLI, checked with the AWS CLI.
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, removeDir, runestone, writeStack, type CliResult } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const STACK = `project: net
environment: dev
providers:
  aws: { region: us-east-1 }
modules:
  vpc:
    source: ./modules/aws-vpc
resources:
  - kind: module:vpc
    name: core-network
    inputs:
      cidr_block: 10.0.0.0/16
      subnets:
        - { name: public, cidr: 10.0.1.0/24 }
        - { name: private, cidr: 10.0.2.0/24 }
  - kind: aws:s3:bucket
    name: logs
    properties:
      tags: { vpc: "\${res['core-network'].vpc_id}" }
  - kind: aws:ec2:security-group
    name: web
    properties:
      vpc_id: \${res['core-network'].vpc_id}
      ingress:
        - { protocol: tcp, from_port: 443, to_port: 443, cidr_blocks: [0.0.0.0/0] }
outputs:
  subnets: \${res['core-network'].subnet_ids}
`;

interface Tagged {
  readonly ResourceTagMappingList: { readonly ResourceARN: string }[];
}

describe('modules/aws-vpc against moto', () => {
  let moto: Moto;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: moto.env });
  const owned = async (): Promise<string[]> =>
    ((await moto.aws(['resourcegroupstaggingapi', 'get-resources', '--tag-filters', 'Key=runestone:stack,Values=net/dev'])).json as Tagged).ResourceTagMappingList.map((m) => m.ResourceARN).sort();

  before(async () => {
    moto = await startMoto();
    dir = await writeStack({ 'runestone.yaml': STACK });
    await cp(path.join(REPO_ROOT, 'modules'), path.join(dir, 'modules'), { recursive: true });
  });
  after(async () => {
    await moto.stop();
    await removeDir(dir);
  });

  test('preview shows ids as known after commit; commit creates the VPC, both subnets and the bucket', async () => {
    const preview = await run('preview');
    assert.equal(preview.code, 0, preview.err);
    assert.match(preview.out, /\+ 5 new resources will be created/);
    assert.match(preview.out, /vpc_id: \(known after commit\)/);
    const commit = await run('commit', '--yes');
    assert.equal(commit.code, 0, commit.out + commit.err);
    assert.match(commit.out, /subnets = \["subnet-[0-9a-f]+","subnet-[0-9a-f]+"\]/);

    const vpcs = (await moto.aws(['ec2', 'describe-vpcs', '--filters', 'Name=tag:runestone:stack,Values=net/dev'])).json as { Vpcs: { VpcId: string; CidrBlock: string }[] };
    assert.equal(vpcs.Vpcs.length, 1);
    assert.equal(vpcs.Vpcs[0]?.CidrBlock, '10.0.0.0/16');
    const vpcIds = vpcs.Vpcs.map((vpc) => vpc.VpcId).join(',');
    const subnets = (await moto.aws(['ec2', 'describe-subnets', '--filters', `Name=vpc-id,Values=${vpcIds}`])).json as { Subnets: { CidrBlock: string }[] };
    assert.deepEqual(subnets.Subnets.map((s) => s.CidrBlock).sort(), ['10.0.1.0/24', '10.0.2.0/24']);
    assert.equal((await owned()).length, 5, 'the Tagging API finds all five by the stack tag');

    const again = await run('preview', '--detect-changes');
    assert.equal(again.code, 0, again.out);
  });

  test('an extra tag on the VPC is drift; align removes it', async () => {
    const vpcs = (await moto.aws(['ec2', 'describe-vpcs', '--filters', 'Name=tag:runestone:stack,Values=net/dev'])).json as { Vpcs: { VpcId: string }[] };
    const vpcId = vpcs.Vpcs.map((vpc) => vpc.VpcId).join(',');
    assert.equal((await moto.aws(['ec2', 'create-tags', '--resources', vpcId, '--tags', 'Key=env,Value=qa'])).code, 0);
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4);
    assert.match(preview.out, /• module:vpc\.core-network\/aws:ec2:vpc\.vpc has extra tag "env=qa"/);
    assert.equal((await run('align')).code, 0);
    const tags = (await moto.aws(['ec2', 'describe-tags', '--filters', `Name=resource-id,Values=${vpcId}`, 'Name=key,Values=env'])).json as { Tags: unknown[] };
    assert.deepEqual(tags.Tags, []);
  });

  test('an ingress rule added out of band is drift; align revokes it', async () => {
    const groups = (await moto.aws(['ec2', 'describe-security-groups', '--filters', 'Name=tag:runestone:stack,Values=net/dev'])).json as { SecurityGroups: { GroupId: string }[] };
    const groupId = groups.SecurityGroups.map((g) => g.GroupId).join(',');
    assert.equal((await moto.aws(['ec2', 'authorize-security-group-ingress', '--group-id', groupId, '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0'])).code, 0);
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4);
    assert.match(preview.out, /• aws:ec2:security-group\.web ingress is /);
    assert.equal((await run('align')).code, 0);
    const after = (await moto.aws(['ec2', 'describe-security-groups', '--group-ids', groupId])).json as { SecurityGroups: { IpPermissions: { FromPort: number }[] }[] };
    assert.deepEqual(after.SecurityGroups.flatMap((g) => g.IpPermissions.map((p) => p.FromPort)), [443]);
  });

  test('dismantle deletes subnets before the VPC and leaves nothing tagged with the stack', async () => {
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.ok(r.out.indexOf('Removed module:vpc.core-network/aws:ec2:subnet') < r.out.indexOf('Removed module:vpc.core-network/aws:ec2:vpc.vpc'));
    assert.deepEqual(await owned(), []);
  });
});

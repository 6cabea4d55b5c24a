// examples/aws (the seed's analytics platform, AWS parts) end to end against moto, with the
// database password from a secret variable given in the environment: bootstrap → preview →
// commit → a clean preview → out-of-band changes with the AWS CLI (a tag added, versioning
// suspended, a bucket deleted, an instance stopped) → preview lists exactly that drift →
// align heals it → dismantle → the AWS CLI finds nothing of the stack (Tagging API + IAM).
import assert from 'node:assert/strict';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { zipSource } from '../../src/providers/aws/deterministic-zip.ts';
import { REPO_ROOT, removeDir, runestone, tempDir, type CliResult } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const DB_PASSWORD = 'example-Passw0rd';
const STACK = 'analytics-platform/prod';
const PREFIX = 'analytics-platform-prod';

interface Ec2Instance {
  readonly InstanceId: string;
  readonly InstanceType: string;
  readonly SubnetId: string;
  readonly VpcId: string;
  readonly State: { readonly Name: string };
  readonly SecurityGroups: readonly { readonly GroupId: string }[];
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

describe('examples/aws against moto', () => {
  let moto: Moto;
  let root: string;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: { ...moto.env, RUNESTONE_VAR_db_password: DB_PASSWORD } });
  const aws = async (...args: string[]): Promise<unknown> => {
    const r = await moto.aws(args);
    assert.equal(r.code, 0, `aws ${args.join(' ')}: ${r.stderr}`);
    return r.json;
  };
  /** The stack's live instances (not terminated), by runestone:address. */
  const instances = async (): Promise<Map<string, Ec2Instance>> => {
    const out = (await aws('ec2', 'describe-instances', '--filters', `Name=tag:runestone:stack,Values=${STACK}`, 'Name=instance-state-name,Values=pending,running,stopping,stopped')) as {
      Reservations: { Instances: Ec2Instance[] }[];
    };
    const found = new Map<string, Ec2Instance>();
    for (const instance of out.Reservations.flatMap((r) => r.Instances)) {
      found.set(instance.Tags?.find((t) => t.Key === 'runestone:address')?.Value ?? '?', instance);
    }
    return found;
  };
  const bucketTags = async (bucket: string): Promise<Record<string, string>> => {
    const set = ((await aws('s3api', 'get-bucket-tagging', '--bucket', bucket)) as { TagSet: { Key: string; Value: string }[] }).TagSet;
    return Object.fromEntries(set.map((tag) => [tag.Key, tag.Value]));
  };

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

  test('bootstrap and preview plan the whole platform', async () => {
    const boot = await run('bootstrap');
    assert.equal(boot.code, 0, boot.out + boot.err);
    assert.match(boot.out, /Module vpc \(local \.\.\/\.\.\/modules\/aws-vpc\)/);

    const preview = await run('preview');
    assert.equal(preview.code, 0, preview.err);
    assert.match(preview.out, /\+ 13 new resources will be created/);
    for (const address of ['aws:ec2:instance.web-0', 'aws:ec2:instance.web-1', 'aws:ec2:instance.web-2', 'aws:ec2:security-group.web', 'aws:lambda:function.loader']) {
      assert.ok(preview.out.includes(`+ ${address}\n`), `${address} missing from:\n${preview.out}`);
    }
  });

  test('commit builds it: VPC → subnet → security group → 3 instances, IAM role → Lambda', async () => {
    const commit = await run('commit', '--yes');
    assert.equal(commit.code, 0, commit.out + commit.err);
    assert.match(commit.out, new RegExp(`logs_bucket += "${PREFIX}-logs-main"`));
    assert.match(commit.out, new RegExp(`loader_role += "arn:aws:iam::123456789012:role/${PREFIX}-data-loader"`));
    assert.match(commit.out, new RegExp(`loader_function += "arn:aws:lambda:us-east-1:123456789012:function:${PREFIX}-loader"`));
    assert.doesNotMatch(commit.stdout + commit.stderr, new RegExp(DB_PASSWORD));

    const buckets = ((await aws('s3api', 'list-buckets')) as { Buckets: { Name: string }[] }).Buckets.map((b) => b.Name).sort();
    assert.deepEqual(buckets, [`${PREFIX}-logs-main`, `${PREFIX}-logs-us-east-1`, `${PREFIX}-logs-us-west-2`]);

    // The chain: the module's VPC and its public subnet (10.0.1.0/24), the group in that VPC
    // with the two ingress rules, every instance in the subnet and the group.
    const vpcs = ((await aws('ec2', 'describe-vpcs', '--filters', `Name=tag:runestone:stack,Values=${STACK}`)) as { Vpcs: { VpcId: string; CidrBlock: string }[] }).Vpcs;
    assert.deepEqual(vpcs.map((v) => v.CidrBlock), ['10.0.0.0/16']);
    const vpcId = vpcs[0]?.VpcId;
    const subnets = ((await aws('ec2', 'describe-subnets', '--filters', `Name=vpc-id,Values=${vpcId ?? '?'}`)) as { Subnets: { SubnetId: string; CidrBlock: string }[] }).Subnets;
    const publicSubnet = subnets.find((s) => s.CidrBlock === '10.0.1.0/24')?.SubnetId;
    assert.ok(publicSubnet !== undefined, JSON.stringify(subnets));
    const groups = (
      (await aws('ec2', 'describe-security-groups', '--filters', `Name=tag:runestone:address,Values=aws:ec2:security-group.web`)) as {
        SecurityGroups: { GroupId: string; VpcId: string; IpPermissions: { FromPort: number; ToPort: number; IpProtocol: string }[] }[];
      }
    ).SecurityGroups;
    assert.equal(groups.length, 1);
    const group = groups[0]!;
    assert.equal(group.VpcId, vpcId);
    assert.deepEqual(group.IpPermissions.map((p) => [p.IpProtocol, p.FromPort, p.ToPort]).sort(), [['tcp', 443, 443], ['tcp', 80, 80]]);
    const web = await instances();
    assert.deepEqual([...web.keys()].sort(), ['aws:ec2:instance.web-0', 'aws:ec2:instance.web-1', 'aws:ec2:instance.web-2']);
    for (const instance of web.values()) {
      assert.equal(instance.State.Name, 'running');
      assert.equal(instance.InstanceType, 't3.medium');
      assert.equal(instance.SubnetId, publicSubnet);
      assert.deepEqual(instance.SecurityGroups.map((g) => g.GroupId), [group.GroupId]);
      assert.equal(instance.Tags?.find((t) => t.Key === 'env')?.Value, 'prod');
    }

    // IAM role → Lambda: the function runs as the role, with the bucket name in its environment.
    const role = ((await aws('iam', 'get-role', '--role-name', `${PREFIX}-data-loader`)) as { Role: { Arn: string } }).Role;
    const fn = (await aws('lambda', 'get-function-configuration', '--function-name', `${PREFIX}-loader`)) as {
      Role: string;
      Runtime: string;
      CodeSha256: string;
      Environment: { Variables: Record<string, string> };
    };
    assert.equal(fn.Role, role.Arn);
    assert.equal(fn.CodeSha256, (await zipSource(path.join(REPO_ROOT, 'examples', 'aws', 'loader'))).sha256, 'the code is examples/aws/loader, zipped deterministically');
    assert.equal(fn.Runtime, 'nodejs22.x');
    assert.deepEqual(fn.Environment.Variables, { LOGS_BUCKET: `${PREFIX}-logs-main` });

    const dbs = (await aws('rds', 'describe-db-instances')) as {
      DBInstances: { DBInstanceIdentifier: string; DBInstanceClass: string; AllocatedStorage: number; BackupRetentionPeriod: number; Endpoint: { Address: string } }[];
    };
    assert.deepEqual(
      dbs.DBInstances.map((db) => [db.DBInstanceIdentifier, db.DBInstanceClass, db.AllocatedStorage, db.BackupRetentionPeriod]),
      [[`${PREFIX}-analytics-db`, 'db.t3.medium', 100, 7]],
    );
    assert.match(commit.out, new RegExp(`db_endpoint += "${(dbs.DBInstances[0]?.Endpoint.Address ?? '?').replaceAll('.', '\\.')}"`));

    const clean = await run('preview', '--detect-changes');
    assert.equal(clean.code, 0, clean.out + clean.err);
    assert.match(clean.out, /No changes\. Infrastructure matches the configuration\./);
  });

  test('out-of-band changes are exactly the drift preview lists, and align heals them', async () => {
    const logsMain = `${PREFIX}-logs-main`;
    await aws('s3api', 'put-bucket-tagging', '--bucket', logsMain, '--tagging', `TagSet=[${Object.entries({ ...(await bucketTags(logsMain)), env: 'qa' }).map(([k, v]) => `{Key=${k},Value=${v}}`).join(',')}]`);
    await aws('s3api', 'put-bucket-versioning', '--bucket', `${PREFIX}-logs-us-east-1`, '--versioning-configuration', 'Status=Suspended');
    await aws('s3api', 'delete-bucket', '--bucket', `${PREFIX}-logs-us-west-2`);
    const web1 = (await instances()).get('aws:ec2:instance.web-1');
    assert.ok(web1 !== undefined);
    await aws('ec2', 'stop-instances', '--instance-ids', web1.InstanceId);
    assert.equal((await instances()).get('aws:ec2:instance.web-1')?.State.Name, 'stopped');

    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4, preview.out + preview.err);
    const drift = /Drift detected:\n((?: {2}• .*\n)+)/.exec(preview.out)?.[1]?.trimEnd().split('\n').sort().map((line) => line.replace(/\(last seen [^)]+\)/, '(last seen T)'));
    assert.deepEqual(drift, [
      '  • aws:ec2:instance.web-1 state is "stopped" (expected "running")',
      '  • aws:s3:bucket.logs-main has extra tag "env=qa"',
      '  • aws:s3:bucket.logs-us-east-1 versioning is false (expected true)',
      '  • aws:s3:bucket.logs-us-west-2 was deleted outside Runestone (last seen T)',
    ]);
    assert.match(preview.out, /\+ 1 new resource will be created\n {4}\+ aws:s3:bucket\.logs-us-west-2\n/);
    assert.match(preview.out, /~ 3 resources will be updated\n/);
    assert.doesNotMatch(preview.out, /will be removed|will be replaced/);

    const align = await run('align');
    assert.equal(align.code, 0, align.out + align.err);
    assert.match(align.out, /Infrastructure aligned \(4 drift issues resolved\)/);
    assert.equal((await instances()).get('aws:ec2:instance.web-1')?.State.Name, 'running');
    assert.equal((await instances()).get('aws:ec2:instance.web-1')?.InstanceId, web1.InstanceId);
    assert.equal((await bucketTags(logsMain))['env'], undefined);
    assert.equal(((await aws('s3api', 'get-bucket-versioning', '--bucket', `${PREFIX}-logs-us-east-1`)) as { Status: string }).Status, 'Enabled');
    assert.equal((await moto.aws(['s3api', 'head-bucket', '--bucket', `${PREFIX}-logs-us-west-2`])).code, 0);

    const clean = await run('preview', '--detect-changes');
    assert.equal(clean.code, 0, clean.out + clean.err);
  });

  test('dismantle leaves nothing of the stack: nothing tagged, no IAM role', async () => {
    const dismantle = await run('dismantle', '--yes');
    assert.equal(dismantle.code, 0, dismantle.out + dismantle.err);
    // Terminated instances keep their tags and stay listed for a while (on AWS for about an
    // hour, in moto until reset): anything still listed must be one of those.
    const left = (await aws('resourcegroupstaggingapi', 'get-resources', '--tag-filters', `Key=runestone:stack,Values=${STACK}`)) as { ResourceTagMappingList: { ResourceARN: string }[] };
    const listed = left.ResourceTagMappingList.map((m) => m.ResourceARN);
    const ids = listed.flatMap((arn) => /:instance\/(i-[0-9a-f]+)$/.exec(arn)?.[1] ?? []);
    assert.equal(ids.length, listed.length, `not an instance: ${listed.join(', ')}`);
    if (ids.length > 0) {
      const described = (await aws('ec2', 'describe-instances', '--instance-ids', ...ids)) as { Reservations: { Instances: Ec2Instance[] }[] };
      assert.deepEqual(described.Reservations.flatMap((r) => r.Instances).map((i) => i.State.Name), ids.map(() => 'terminated'));
    }
    // The Tagging API does not cover IAM: list the roles and read their tags.
    const roles = ((await aws('iam', 'list-roles')) as { Roles: { RoleName: string }[] }).Roles;
    for (const { RoleName } of roles) {
      const tags = ((await aws('iam', 'list-role-tags', '--role-name', RoleName)) as { Tags: { Key: string; Value: string }[] }).Tags;
      assert.ok(!tags.some((t) => t.Key === 'runestone:stack' && t.Value === STACK), `role ${RoleName} is still tagged with the stack`);
    }
    assert.deepEqual([...(await instances()).keys()], []);
    assert.deepEqual(((await aws('rds', 'describe-db-instances')) as { DBInstances: unknown[] }).DBInstances, []);
    assert.deepEqual(((await aws('lambda', 'list-functions')) as { Functions: unknown[] }).Functions, []);
    assert.notEqual((await moto.aws(['iam', 'get-role', '--role-name', `${PREFIX}-data-loader`])).code, 0);
  });
});

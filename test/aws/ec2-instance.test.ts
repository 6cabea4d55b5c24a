// aws:ec2:instance against a real moto server through the CLI, checked with the AWS CLI.
// Requests pass through a recording proxy so the test can read what RunInstances sent.
import assert from 'node:assert/strict';
import { request, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { instanceClientToken } from '../../src/providers/aws/kinds/ec2-instance.ts';
import { removeDir, runestone, writeFiles, writeStack, type CliResult } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

// Images moto ships (AMI validation is on in the test environment).
const UBUNTU = 'ami-1e749f67';
const WINDOWS = 'ami-03cf127a';

function stackFile(instance: { readonly type?: string; readonly ami?: string; readonly state?: string } = {}): string {
  return `project: ec2
environment: dev
providers:
  aws: { region: us-east-1 }
resources:
  - kind: aws:ec2:vpc
    name: main
    properties: { cidr_block: 10.1.0.0/16 }
  - kind: aws:ec2:subnet
    name: app
    properties:
      vpc_id: \${res.main.id}
      cidr_block: 10.1.1.0/24
  - kind: aws:ec2:security-group
    name: frontend
    properties:
      vpc_id: \${res.main.id}
      ingress:
        - { protocol: tcp, from_port: 443, to_port: 443, cidr_blocks: [0.0.0.0/0] }
  - kind: aws:ec2:instance
    name: web
    properties:
      instance_type: ${instance.type ?? 't2.micro'}
      ami: ${instance.ami ?? UBUNTU}
      subnet_id: \${res.app.id}
      security_group_ids: ["\${res.frontend.id}"]
      state: ${instance.state ?? 'running'}
      tags: { role: web }
`;
}

interface Ec2Instance {
  readonly InstanceId: string;
  readonly InstanceType: string;
  readonly ImageId: string;
  readonly SubnetId: string;
  readonly State: { readonly Name: string };
  readonly SecurityGroups: readonly { readonly GroupId: string }[];
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

/** A pass-through proxy in front of moto that keeps every request body. */
async function recordingProxy(target: string): Promise<{ readonly endpoint: string; readonly bodies: string[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push(body.toString('utf8'));
      const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

describe('aws:ec2:instance against moto', () => {
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: { ...moto.env, AWS_ENDPOINT_URL: proxy.endpoint } });
  const instances = async (): Promise<Ec2Instance[]> => {
    const out = await moto.aws(['ec2', 'describe-instances', '--filters', 'Name=tag:runestone:stack,Values=ec2/dev', 'Name=instance-state-name,Values=pending,running,stopping,stopped']);
    assert.equal(out.code, 0, out.stderr);
    return (out.json as { Reservations: { Instances: Ec2Instance[] }[] }).Reservations.flatMap((r) => r.Instances);
  };
  const onlyInstance = async (): Promise<Ec2Instance> => {
    const found = await instances();
    assert.equal(found.length, 1, `exactly one live instance, found ${JSON.stringify(found.map((i) => i.InstanceId))}`);
    return found[0] as Ec2Instance;
  };
  const setConfig = (options: Parameters<typeof stackFile>[0]): Promise<void> => writeFiles(dir, { 'runestone.yaml': stackFile(options) });

  before(async () => {
    moto = await startMoto();
    proxy = await recordingProxy(moto.endpoint);
    dir = await writeStack({ 'runestone.yaml': stackFile() });
  });
  after(async () => {
    await proxy.close();
    await moto.stop();
    await removeDir(dir);
  });

  test('commit launches one running instance with an idempotency token derived from stack and address', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /\+ Created aws:ec2:instance\.web/);
    const instance = await onlyInstance();
    assert.equal(instance.State.Name, 'running');
    assert.equal(instance.InstanceType, 't2.micro');
    assert.equal(instance.ImageId, UBUNTU);
    const subnets = (await moto.aws(['ec2', 'describe-subnets', '--filters', 'Name=tag:runestone:address,Values=aws:ec2:subnet.app'])).json as { Subnets: { SubnetId: string }[] };
    assert.equal(instance.SubnetId, subnets.Subnets[0]?.SubnetId);
    const groups = (await moto.aws(['ec2', 'describe-security-groups', '--filters', 'Name=tag:runestone:address,Values=aws:ec2:security-group.frontend'])).json as { SecurityGroups: { GroupId: string }[] };
    const groupId = groups.SecurityGroups[0]?.GroupId ?? '';
    assert.deepEqual(instance.SecurityGroups.map((g) => g.GroupId), [groupId]);
    assert.equal(instance.Tags?.find((t) => t.Key === 'role')?.Value, 'web');

    const launches = proxy.bodies.filter((body) => body.includes('Action=RunInstances')).map((body) => new URLSearchParams(body));
    assert.equal(launches.length, 1);
    const expected = instanceClientToken('ec2/dev', 'aws:ec2:instance.web', { ami: UBUNTU, instance_type: 't2.micro', subnet_id: instance.SubnetId, security_group_ids: [groupId] });
    assert.match(expected, /^[0-9a-f]{64}$/);
    assert.equal(launches[0]?.get('ClientToken'), expected);

    const again = await run('preview', '--detect-changes');
    assert.equal(again.code, 0, again.out + again.err);
  });

  test('an instance stopped and tagged out of band is drift; align starts it and removes the tag', async () => {
    const { InstanceId: id } = await onlyInstance();
    assert.equal((await moto.aws(['ec2', 'stop-instances', '--instance-ids', id])).code, 0);
    assert.equal((await moto.aws(['ec2', 'create-tags', '--resources', id, '--tags', 'Key=env,Value=qa'])).code, 0);
    assert.equal((await onlyInstance()).State.Name, 'stopped');

    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4, preview.out + preview.err);
    assert.match(preview.out, /• aws:ec2:instance\.web state is "stopped" \(expected "running"\)/);
    assert.match(preview.out, /• aws:ec2:instance\.web has extra tag "env=qa"/);

    const align = await run('align');
    assert.equal(align.code, 0, align.out + align.err);
    const healed = await onlyInstance();
    assert.equal(healed.InstanceId, id);
    assert.equal(healed.State.Name, 'running');
    assert.equal(healed.Tags?.find((t) => t.Key === 'env'), undefined);
  });

  test('a new instance_type is an in-place update (stop, modify, start); state: stopped stops it', async () => {
    const { InstanceId: id } = await onlyInstance();
    await setConfig({ type: 't2.small' });
    const preview = await run('preview');
    assert.equal(preview.code, 0, preview.out + preview.err);
    assert.doesNotMatch(preview.out, /replace/i);
    assert.match(preview.out, /instance_type/);
    const commit = await run('commit', '--yes');
    assert.equal(commit.code, 0, commit.out + commit.err);
    const resized = await onlyInstance();
    assert.deepEqual([resized.InstanceId, resized.InstanceType, resized.State.Name], [id, 't2.small', 'running']);

    await setConfig({ type: 't2.small', state: 'stopped' });
    assert.equal((await run('commit', '--yes')).code, 0);
    assert.equal((await onlyInstance()).State.Name, 'stopped');
    assert.equal((await run('preview', '--detect-changes')).code, 0);
  });

  test('a new ami replaces the instance: one live instance remains, launched with a new token', async () => {
    const { InstanceId: old } = await onlyInstance();
    await setConfig({ type: 't2.small', ami: WINDOWS });
    const preview = await run('preview');
    assert.equal(preview.code, 0, preview.out + preview.err);
    assert.match(preview.out, /replace/i);
    const commit = await run('commit', '--yes');
    assert.equal(commit.code, 0, commit.out + commit.err);
    const replaced = await onlyInstance();
    assert.notEqual(replaced.InstanceId, old);
    assert.deepEqual([replaced.ImageId, replaced.State.Name], [WINDOWS, 'running']);
    const tokens = proxy.bodies.filter((body) => body.includes('Action=RunInstances')).map((body) => new URLSearchParams(body).get('ClientToken'));
    assert.equal(tokens.length, 2);
    assert.notEqual(tokens[0], tokens[1]);
  });

  test('dismantle terminates the instance and leaves nothing tagged with the stack', async () => {
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.deepEqual(await instances(), []);
    const tagged = (await moto.aws(['resourcegroupstaggingapi', 'get-resources', '--tag-filters', 'Key=runestone:stack,Values=ec2/dev'])).json as { ResourceTagMappingList: { ResourceARN: string }[] };
    // Terminated instances stay visible (with their tags) for a while, on AWS as in moto:
    // whatever is still tagged must be an instance that is terminated.
    const lingering = tagged.ResourceTagMappingList.map((m) => m.ResourceARN);
    assert.ok(lingering.every((arn) => /:instance\/i-[0-9a-f]+$/.test(arn)), lingering.join(', '));
    if (lingering.length > 0) {
      const ids = lingering.map((arn) => arn.slice(arn.lastIndexOf('/') + 1));
      const states = (await moto.aws(['ec2', 'describe-instances', '--instance-ids', ...ids])).json as { Reservations: { Instances: Ec2Instance[] }[] };
      assert.deepEqual([...new Set(states.Reservations.flatMap((r) => r.Instances.map((i) => i.State.Name)))], ['terminated']);
    }
    // Discovery ignores the terminated instance: a fresh preview would only create anew.
    const preview = await run('preview');
    assert.equal(preview.code, 0, preview.out + preview.err);
    assert.match(preview.out, /\+ 4 new resources will be created/);
    assert.doesNotMatch(preview.out, /remove|delete/i);
  });
});

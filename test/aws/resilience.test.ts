// Throttling and eventual consistency, which moto never shows, injected by the fault proxy in
// front of it: every API action's first call (and every third after) is throttled in its
// protocol's own way, some calls get a bare 503, and the first read after each create says
// "not found". A commit of buckets, an IAM role + Lambda and a VPC + security group must still
// converge, the AWS CLI (straight at moto) must find exactly those resources, and every retry
// the SDK made must be visible in `--events` as a `provider.retry` event.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readEvents, removeDir, runestone, stack, writeStack, type EventLine } from '../helpers/cli.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../helpers/fault-proxy.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const STACK = stack(`providers:
  aws: {}
resources:
  - kind: aws:s3:bucket
    name: logs-\${index}
    count: 2
    properties:
      versioning: true
      tags: { team: data }
  - kind: aws:iam:role
    name: fn-role
    properties:
      assume_role_policy:
        Version: "2012-10-17"
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:AssumeRole" }]
  - kind: aws:lambda:function
    name: ingest
    properties:
      runtime: python3.13
      handler: main.handler
      role: \${res['fn-role'].arn}
      source: ./main.py
  - kind: aws:ec2:vpc
    name: net
    properties: { cidr_block: 10.9.0.0/16 }
  - kind: aws:ec2:security-group
    name: web
    properties:
      vpc_id: \${res.net.id}
      ingress:
        - { protocol: tcp, from_port: 443, to_port: 443, cidr_blocks: [0.0.0.0/0] }
`, 'res');

// The throttles hit each protocol once or twice rather than everything: after a throttle, the
// SDK's adaptive mode slows that client down (seconds per retry), as it would on AWS.
const RULES: readonly FaultRule[] = [
  // Read-after-create misses come first, so they win over throttling of the same request.
  { service: 's3', action: /^HEAD \/[^/?]+\/?$/, fault: 'not-found', after: { service: 's3', action: /^PUT \/[^/?]+\/?$/ }, perPath: true },
  { service: 'iam', action: 'GetRole', fault: 'not-found', after: { service: 'iam', action: 'CreateRole' } },
  { service: 'ec2', action: 'DescribeVpcs', fault: 'not-found', after: { service: 'ec2', action: 'CreateVpc' } },
  // CreateBucket of each bucket (the action names the bucket), once.
  { service: 's3', action: /^PUT \/[^/?]+\/?$/, fault: 'throttle', every: 2 },
  { service: 'iam', action: 'CreateRole', fault: 'throttle', first: 1 },
  { service: 'iam', action: 'ListRoles', fault: 'unavailable', first: 1 },
  { service: 'lambda', action: /^POST \/2015-03-31\/functions\/?$/, fault: 'throttle', first: 1 },
  { service: 'ec2', action: 'CreateVpc', fault: 'throttle', first: 1 },
  { service: 'ec2', action: 'CreateSecurityGroup', fault: 'unavailable', first: 1 },
  { service: 'tagging', action: 'GetResources', fault: 'throttle', first: 1 },
];

describe('commit through throttling and read-after-create misses', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let dir: string;
  let events: EventLine[] = [];
  // Runestone talks to the proxy; the AWS CLI checks moto directly.
  const run = (...args: string[]) => runestone(args, { cwd: dir, env: { ...moto.env, AWS_ENDPOINT_URL: proxy.endpoint }, timeoutMs: 120_000 });
  const ours = ['Name=tag:runestone:stack,Values=res/dev'];

  before(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy(moto.endpoint, RULES);
    dir = await writeStack({ 'runestone.yaml': STACK, 'main.py': 'def handler(event, context):\n    return 1\n' });
  });
  after(async () => {
    await proxy.stop();
    await moto.stop();
    await removeDir(dir);
  });

  test('commit converges and creates exactly the declared resources', async () => {
    const file = path.join(dir, 'commit.jsonl');
    const r = await run('commit', '--yes', '--events', file);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    events = await readEvents(file);

    const buckets = (await moto.aws(['s3api', 'list-buckets'])).json as { Buckets: { Name: string }[] };
    assert.deepEqual(buckets.Buckets.map((b) => b.Name).sort(), ['res-dev-logs-0', 'res-dev-logs-1']);
    const roles = (await moto.aws(['iam', 'list-roles'])).json as { Roles: { RoleName: string }[] };
    assert.deepEqual(roles.Roles.map((role) => role.RoleName).filter((name) => name.startsWith('res-')), ['res-dev-fn-role']);
    const functions = (await moto.aws(['lambda', 'list-functions'])).json as { Functions: { FunctionName: string; Role: string }[] };
    assert.deepEqual(functions.Functions.map((f) => [f.FunctionName, f.Role]), [['res-dev-ingest', 'arn:aws:iam::123456789012:role/res-dev-fn-role']]);
    const vpcs = (await moto.aws(['ec2', 'describe-vpcs', '--filters', ...ours])).json as { Vpcs: { CidrBlock: string }[] };
    assert.deepEqual(vpcs.Vpcs.map((vpc) => vpc.CidrBlock), ['10.9.0.0/16']);
    const groups = (await moto.aws(['ec2', 'describe-security-groups', '--filters', ...ours])).json as { SecurityGroups: { IpPermissions: { FromPort: number }[] }[] };
    assert.deepEqual(groups.SecurityGroups.map((group) => group.IpPermissions.map((p) => p.FromPort)), [[443]]);
  });

  test('every fault was met: SDK retries are provider.retry events, read-after-create misses are read again', () => {
    const retries = events.filter((event) => event.kind === 'provider.retry');
    const retryCodes = new Set(retries.map((event) => String(event.data['code'])));
    for (const code of ['SlowDown', 'Throttling', 'RequestLimitExceeded', 'TooManyRequestsException', 'ThrottlingException', 'ServiceUnavailable']) {
      assert.ok(retryCodes.has(code), `a provider.retry after ${code} in ${JSON.stringify([...retryCodes])}`);
    }
    for (const retry of retries) {
      assert.equal(retry.level, 'debug');
      assert.ok(Number(retry.data['attempt']) >= 2, JSON.stringify(retry));
      assert.match(String(retry.data['operation']), /^(s3|iam|lambda|ec2|tagging):[A-Z]\w+$/);
    }
    const operations = new Set(retries.map((event) => String(event.data['operation'])));
    for (const operation of ['s3:CreateBucket', 'iam:CreateRole', 'lambda:CreateFunction', 'ec2:CreateVpc', 'ec2:CreateSecurityGroup', 'tagging:GetResources']) {
      assert.ok(operations.has(operation), `${operation} was retried (saw ${[...operations].join(', ')})`);
    }
    // One SDK retry per injected throttle or 503: none was swallowed or given up on.
    const injected = proxy.requests.filter((request) => request.fault !== undefined && !/NotFound|NoSuch/.test(request.fault));
    assert.equal(retries.length, injected.length);
    assert.ok(proxy.requests.some((request) => request.fault === 'NoSuchEntity'), 'a GetRole after CreateRole missed');
    assert.ok(proxy.requests.some((request) => request.fault === 'InvalidVpcID.NotFound'), 'a DescribeVpcs after CreateVpc missed');
    const waited = events.filter((event) => event.kind === 'node.output' && event.message.includes('is not visible yet')).map((event) => event.data.nodeId);
    assert.deepEqual([...new Set(waited)].sort(), ['aws:ec2:vpc.net', 'aws:iam:role.fn-role', 'aws:s3:bucket.logs-0', 'aws:s3:bucket.logs-1']);
    // The provider waited out the misses itself: no node needed a second attempt.
    const finished = events.filter((event) => event.kind === 'node.finished');
    assert.deepEqual(finished.map((event) => [event.data.status, event.data['attempts']]), Array.from({ length: 6 }, () => ['done', 1]));
  });

  test('preview afterwards (still through the faults) shows no changes', async () => {
    const r = await run('preview', '--detect-changes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.out, /No changes\. Infrastructure matches the configuration\./);
  });
});

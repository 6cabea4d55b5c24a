/**
 * The fault proxy in front of moto (test/helpers/fault-proxy.ts): the AWS CLI, a real AWS
 * client with its own retry logic, parses the injected errors in each protocol's wire format
 * and retries them; the proxy counts every attempt per action, and a read-after-create miss
 * hits exactly the next read.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** The CLI's standard retry mode retries throttling codes and 503s, like the SDKs. */
const RETRY = (attempts: number): Record<string, string> => ({ AWS_MAX_ATTEMPTS: String(attempts), AWS_RETRY_MODE: 'standard' });

const THROTTLED_CALLS: readonly { readonly api: string; readonly args: readonly string[]; readonly service: string; readonly action: string | RegExp; readonly code: string }[] = [
  { api: 'S3 (REST XML)', args: ['s3api', 'create-bucket', '--bucket', 'fault-proxy-bucket'], service: 's3', action: 'PUT /fault-proxy-bucket', code: 'SlowDown' },
  { api: 'EC2 (EC2 query)', args: ['ec2', 'create-vpc', '--cidr-block', '10.40.0.0/16'], service: 'ec2', action: 'CreateVpc', code: 'RequestLimitExceeded' },
  { api: 'IAM (query)', args: ['iam', 'create-role', '--role-name', 'fault-proxy-role', '--assume-role-policy-document', TRUST_POLICY], service: 'iam', action: 'CreateRole', code: 'Throttling' },
  { api: 'Tagging API (JSON)', args: ['resourcegroupstaggingapi', 'get-resources'], service: 'tagging', action: 'GetResources', code: 'ThrottlingException' },
  { api: 'Lambda (REST JSON)', args: ['lambda', 'list-functions'], service: 'lambda', action: /^GET \/2015-03-31\/functions\/?/, code: 'TooManyRequestsException' },
];

describe('fault proxy in front of moto', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  before(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy(moto.endpoint);
  });
  after(async () => {
    await proxy.stop();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    proxy.setRules([]);
    proxy.clearLog();
  });

  for (const call of THROTTLED_CALLS) {
    test(`${call.api}: the CLI parses the injected ${call.code}, and retries past it`, async () => {
      const match = { service: call.service, action: call.action };
      proxy.setRules([{ ...match, fault: 'throttle', first: 1 }]);
      const once = await moto.aws(call.args, { endpoint: proxy.endpoint, env: RETRY(1) });
      assert.notEqual(once.code, 0, 'a single attempt meets the injected throttling');
      assert.match(once.stderr, new RegExp(`\\(${call.code}\\)`), once.stderr);

      proxy.setRules([{ ...match, fault: 'throttle', first: 2 }]);
      proxy.clearLog();
      const retried = await moto.aws(call.args, { endpoint: proxy.endpoint, env: RETRY(3) });
      assert.equal(retried.code, 0, retried.stderr);
      assert.equal(proxy.count(match), 3, JSON.stringify(proxy.counts()));
      assert.deepEqual(proxy.requests.filter((request) => request.fault !== undefined).map((request) => request.fault), [call.code, call.code]);
    });
  }

  test('unavailable answers a bare 503 that the CLI retries', async () => {
    proxy.setRules([{ service: 'iam', fault: 'unavailable', first: 1 }]);
    const result = await moto.aws(['iam', 'list-roles'], { endpoint: proxy.endpoint, env: RETRY(2) });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(proxy.requests.map((request) => `${request.action} ${request.status}${request.fault === undefined ? '' : ` ${request.fault}`}`), ['ListRoles 503 ServiceUnavailable', 'ListRoles 200']);
  });

  test('every: 2 faults the first call of each action and every second one after, per action', async () => {
    proxy.setRules([{ service: 'ec2', fault: 'throttle', every: 2 }]);
    const ok: boolean[] = [];
    for (const args of [['ec2', 'describe-vpcs'], ['ec2', 'describe-vpcs'], ['ec2', 'describe-subnets'], ['ec2', 'describe-vpcs'], ['ec2', 'describe-subnets']]) {
      ok.push((await moto.aws(args, { endpoint: proxy.endpoint })).code === 0);
    }
    assert.deepEqual(ok, [false, true, false, false, true]);
    assert.deepEqual(proxy.counts(), { 'ec2:DescribeVpcs': 3, 'ec2:DescribeSubnets': 2 });
    assert.equal(proxy.count({ service: 'ec2', faulted: true }), 3);
  });

  test('not-found: the first read after a create misses, the next one finds it', async () => {
    proxy.setRules([{ service: 'iam', action: 'GetRole', fault: 'not-found', after: { service: 'iam', action: 'CreateRole' } }]);
    const env = RETRY(3);
    // Reads before any create pass through (moto answers NoSuchEntity itself, not the proxy).
    assert.notEqual((await moto.aws(['iam', 'get-role', '--role-name', 'fault-proxy-role'], { endpoint: proxy.endpoint, env })).code, 0);
    assert.equal((await moto.aws(['iam', 'create-role', '--role-name', 'fault-proxy-role', '--assume-role-policy-document', TRUST_POLICY], { endpoint: proxy.endpoint, env })).code, 0);
    const first = await moto.aws(['iam', 'get-role', '--role-name', 'fault-proxy-role'], { endpoint: proxy.endpoint, env });
    assert.match(first.stderr, /\(NoSuchEntity\)/);
    const second = await moto.aws(['iam', 'get-role', '--role-name', 'fault-proxy-role'], { endpoint: proxy.endpoint, env });
    assert.equal((second.json as { Role: { RoleName: string } }).Role.RoleName, 'fault-proxy-role');
    assert.deepEqual(
      proxy.requests.map((request) => `${request.action} ${request.status}${request.fault === undefined ? '' : ` ${request.fault}`}`),
      ['GetRole 404', 'CreateRole 200', 'GetRole 404 NoSuchEntity', 'GetRole 200'],
    );
  });

  test('not-found for EC2 and S3 uses the resource\'s own code, per bucket with perPath', async () => {
    const vpc = await moto.aws(['ec2', 'create-vpc', '--cidr-block', '10.50.0.0/16'], { endpoint: proxy.endpoint });
    const vpcId = (vpc.json as { Vpc: { VpcId: string } }).Vpc.VpcId;
    proxy.setRules([
      { service: 'ec2', action: 'DescribeVpcs', fault: 'not-found', after: { service: 'ec2', action: 'CreateTags' } },
      { service: 's3', action: /^GET \/nf-[ab]\?tagging$/, fault: 'not-found', after: { service: 's3', action: /^PUT \/nf-[ab]$/ }, perPath: true },
    ]);
    assert.equal((await moto.aws(['ec2', 'create-tags', '--resources', vpcId, '--tags', 'Key=k,Value=v'], { endpoint: proxy.endpoint })).code, 0);
    assert.match((await moto.aws(['ec2', 'describe-vpcs', '--vpc-ids', vpcId], { endpoint: proxy.endpoint })).stderr, /\(InvalidVpcID\.NotFound\)/);
    assert.equal((await moto.aws(['ec2', 'describe-vpcs', '--vpc-ids', vpcId], { endpoint: proxy.endpoint })).code, 0);
    // perPath: two buckets created one after the other each miss their own first read.
    for (const bucket of ['nf-a', 'nf-b']) assert.equal((await moto.aws(['s3api', 'create-bucket', '--bucket', bucket], { endpoint: proxy.endpoint })).code, 0);
    for (const bucket of ['nf-b', 'nf-a']) assert.match((await moto.aws(['s3api', 'get-bucket-tagging', '--bucket', bucket], { endpoint: proxy.endpoint })).stderr, /\(NoSuchBucket\)/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEc2InstanceKind, instanceClientToken } from './ec2-instance.ts';

const kind = createEc2InstanceKind(() => {
  throw new Error('no AWS calls in unit tests');
});

describe('aws:ec2:instance', () => {
  const arns: readonly (readonly [string, string | undefined])[] = [
    ['arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0', 'i-0123456789abcdef0'],
    ['arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i-0abc', 'i-0abc'],
    ['arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0abc', undefined],
    ['arn:aws:ec2:us-east-1:123456789012:security-group/sg-0abc', undefined],
    ['arn:aws:s3:::bucket', undefined],
  ];
  for (const [arn, identity] of arns) {
    test(`identityFromArn() reads ${arn} as ${String(identity)}`, () => {
      assert.equal(kind.identityFromArn?.(arn), identity);
    });
  }

  test('instanceClientToken() is 64 hex characters, stable for the same stack, address and launch', () => {
    const launch = { ami: 'ami-1', instance_type: 't3.micro' };
    const token = instanceClientToken('shop/prod', 'aws:ec2:instance.web', launch);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal(instanceClientToken('shop/prod', 'aws:ec2:instance.web', { ...launch }), token);
  });

  test('instanceClientToken() differs by stack, address, launch parameters and a terminated predecessor', () => {
    const launch = { ami: 'ami-1', instance_type: 't3.micro' };
    const token = instanceClientToken('shop/prod', 'aws:ec2:instance.web', launch);
    const others = [
      instanceClientToken('shop/dev', 'aws:ec2:instance.web', launch),
      instanceClientToken('shop/prod', 'aws:ec2:instance.api', launch),
      instanceClientToken('shop/prod', 'aws:ec2:instance.web', { ...launch, ami: 'ami-2' }),
      instanceClientToken('shop/prod', 'aws:ec2:instance.web', launch, 'i-0abc'),
    ];
    assert.equal(new Set([token, ...others]).size, 5);
  });

  test('ami and subnet_id force replacement; instance_type does not', () => {
    assert.deepEqual([...kind.forceReplace].sort(), ['ami', 'subnet_id']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKind } from './object-kind.ts';
import { stackLabelValue } from './ownership.ts';

describe('parseKind()', () => {
  const cases: [string, { apiVersion: string; kind: string } | undefined][] = [
    ['kubernetes:v1:ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap' }],
    ['kubernetes:apps/v1:Deployment', { apiVersion: 'apps/v1', kind: 'Deployment' }],
    ['kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }],
    ['kubernetes:networking.k8s.io/v1beta1:Ingress', { apiVersion: 'networking.k8s.io/v1beta1', kind: 'Ingress' }],
    ['kubernetes:Deployment', undefined],
    ['kubernetes:apps/v1:deployment', undefined],
    ['kubernetes:<apiVersion>:<Kind>', undefined],
    ['aws:s3:bucket', undefined],
  ];
  for (const [kind, expected] of cases) {
    it(`reads ${kind}`, () => {
      assert.deepEqual(parseKind(kind), expected);
    });
  }
});

describe('stackLabelValue()', () => {
  it('turns a stack name into a valid label value', () => {
    assert.equal(stackLabelValue('shop/dev'), 'shop.dev');
    assert.equal(stackLabelValue('my shop/dev!'), 'my.shop.dev');
  });
  it('keeps long names unique and within 63 characters', () => {
    const a = stackLabelValue(`${'x'.repeat(70)}/a`);
    const b = stackLabelValue(`${'x'.repeat(70)}/b`);
    assert.notEqual(a, b);
    assert.ok(a.length <= 63 && /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(a), a);
  });
});

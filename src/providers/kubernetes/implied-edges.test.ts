import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { impliedKubeEdges } from './implied-edges.ts';

const ns = (name: string, provider = 'kubernetes'): { id: string; kind: string; name: string; provider: string; properties: unknown } => ({ id: `kubernetes:v1:Namespace.${name}`, kind: 'kubernetes:v1:Namespace', name, provider, properties: {} });

describe('impliedKubeEdges()', () => {
  it('orders objects after the namespace their metadata names, within one provider instance', () => {
    const edges = impliedKubeEdges([
      ns('shop'),
      { id: 'kubernetes:v1:ConfigMap.a', kind: 'kubernetes:v1:ConfigMap', name: 'a', provider: 'kubernetes', properties: { metadata: { namespace: 'shop' } } },
      { id: 'kubernetes:v1:ConfigMap.b', kind: 'kubernetes:v1:ConfigMap', name: 'b', provider: 'kubernetes.prod', properties: { metadata: { namespace: 'shop' } } },
      { id: 'kubernetes:v1:ConfigMap.c', kind: 'kubernetes:v1:ConfigMap', name: 'c', provider: 'kubernetes', properties: { data: {} } },
    ]);
    assert.deepEqual(edges, [{ from: 'kubernetes:v1:ConfigMap.a', to: 'kubernetes:v1:Namespace.shop' }]);
  });

  it('uses metadata.name of a Namespace over the resource name', () => {
    const edges = impliedKubeEdges([
      { id: 'kubernetes:v1:Namespace.main', kind: 'kubernetes:v1:Namespace', name: 'main', provider: 'kubernetes', properties: { metadata: { name: 'shop-prod' } } },
      { id: 'kubernetes:v1:Secret.s', kind: 'kubernetes:v1:Secret', name: 's', provider: 'kubernetes', properties: { metadata: { namespace: 'shop-prod' } } },
    ]);
    assert.deepEqual(edges, [{ from: 'kubernetes:v1:Secret.s', to: 'kubernetes:v1:Namespace.main' }]);
  });

  it('orders custom resources after the CRD of their group and kind', () => {
    const crd = {
      id: 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition.promotions',
      kind: 'kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition',
      name: 'promotions',
      provider: 'kubernetes',
      properties: { spec: { group: 'shop.example.com', names: { kind: 'Promotion' } } },
    };
    const edges = impliedKubeEdges([
      crd,
      { id: 'kubernetes:shop.example.com/v1:Promotion.sale', kind: 'kubernetes:shop.example.com/v1:Promotion', name: 'sale', provider: 'kubernetes', properties: {} },
      { id: 'kubernetes:other.example.com/v1:Promotion.x', kind: 'kubernetes:other.example.com/v1:Promotion', name: 'x', provider: 'kubernetes', properties: {} },
    ]);
    assert.deepEqual(edges, [{ from: 'kubernetes:shop.example.com/v1:Promotion.sale', to: crd.id }]);
  });

  it('ignores values not known at plan time', () => {
    const deferred = { kind: 'deferred', source: '${res.x.name}', refs: [], location: { file: 'a', line: 1, column: 1 }, evaluate: () => undefined };
    assert.deepEqual(impliedKubeEdges([ns('shop'), { id: 'kubernetes:v1:ConfigMap.a', kind: 'kubernetes:v1:ConfigMap', name: 'a', provider: 'kubernetes', properties: { metadata: { namespace: deferred } } }]), []);
  });
});

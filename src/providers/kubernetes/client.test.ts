import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeStatusError, translateKubeError, type KubeStatus } from './client.ts';

describe('translateKubeError()', () => {
  const location = { file: 'runestone.yaml', line: 4, column: 5 };
  const cases: [string, unknown, string, boolean, RegExp][] = [
    ['401', new KubeStatusError(401, { reason: 'Unauthorized' }), 'RS_KUBE_E0001', false, /rejected the credentials/],
    ['403', new KubeStatusError(403, { reason: 'Forbidden', message: 'configmaps is forbidden' }), 'RS_KUBE_E0002', false, /forbidden: configmaps is forbidden/],
    [
      '409 apply conflict',
      new KubeStatusError(409, { reason: 'Conflict', details: { causes: [{ field: '.spec.replicas', message: 'conflict with "kubectl"' }] } } satisfies KubeStatus),
      'RS_KUBE_E0003',
      false,
      /owned by another field manager: \.spec\.replicas: conflict with "kubectl"/,
    ],
    [
      '422 invalid, every field',
      new KubeStatusError(422, { reason: 'Invalid', details: { causes: [{ field: 'spec.ports[0].port', message: 'Invalid value: 70000' }, { field: 'spec.x', message: 'Required value' }] } }),
      'RS_KUBE_E0004',
      false,
      /spec\.ports\[0\]\.port: Invalid value: 70000; spec\.x: Required value/,
    ],
    ['404 namespace missing is retried', new KubeStatusError(404, { reason: 'NotFound', message: 'namespaces "shop" not found', details: { kind: 'namespaces' } }), 'RS_KUBE_E0007', true, /namespaces "shop" not found/],
    ['429 is retried', new KubeStatusError(429, { reason: 'TooManyRequests' }), 'RS_KUBE_E0007', true, /answered 429/],
    ['503 is retried', new KubeStatusError(503, { message: 'etcd unavailable' }), 'RS_KUBE_E0007', true, /etcd unavailable/],
    ['connection refused is retried', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'RS_KUBE_E0006', true, /did not answer \(ECONNREFUSED\)/],
  ];
  for (const [name, error, code, retryable, message] of cases) {
    it(`maps ${name} to ${code}`, () => {
      const translated = translateKubeError(error, { action: 'apply v1 ConfigMap "a/b"', location });
      assert.equal(translated.code, code);
      assert.equal(translated.retryable, retryable);
      assert.match(translated.message, /^Cannot apply v1 ConfigMap "a\/b": /);
      assert.match(translated.message, message);
      assert.deepEqual(translated.location, location);
    });
  }

  const at = (pointer: string): { file: string; line: number; column: number } | undefined => ({ '/spec/ports/0/port': { file: 'runestone.yaml', line: 9, column: 25 }, '/spec/replica': { file: 'runestone.yaml', line: 9, column: 18 } })[pointer];

  it('points a 422 at the first field it can locate', () => {
    const error = new KubeStatusError(422, { reason: 'Invalid', details: { causes: [{ field: 'spec.ports[0].port', message: 'Invalid value: 70000' }] } });
    assert.deepEqual(translateKubeError(error, { action: 'apply', location, locate: at }).location, { file: 'runestone.yaml', line: 9, column: 25 });
    assert.deepEqual(translateKubeError(error, { action: 'apply', location, locate: () => undefined }).location, location);
  });

  it('treats the 500 strict validation answers for an unknown field as invalid, at the field', () => {
    const error = new KubeStatusError(500, { message: 'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema' });
    const translated = translateKubeError(error, { action: 'apply', location, locate: at });
    assert.equal(translated.code, 'RS_KUBE_E0004');
    assert.equal(translated.retryable, false);
    assert.deepEqual(translated.location, { file: 'runestone.yaml', line: 9, column: 18 });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../core/json.ts';
import { readinessOf, waitTimeoutMs, type Readiness } from './readiness.ts';

describe('readinessOf()', () => {
  const cases: [string, string, JsonObject, Readiness][] = [
    ['a Deployment with every replica updated and available', 'Deployment', { metadata: { generation: 2 }, spec: { replicas: 2 }, status: { observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 } }, { kind: 'ready' }],
    ['a Deployment whose new generation is not observed yet', 'Deployment', { metadata: { generation: 3 }, spec: { replicas: 2 }, status: { observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 } }, { kind: 'waiting', progress: '2/2 replicas available, 2 updated' }],
    ['a Deployment with no status', 'Deployment', { metadata: { generation: 1 }, spec: { replicas: 3 } }, { kind: 'waiting', progress: '0/3 replicas available, 0 updated' }],
    ['a Deployment defaulting to one replica', 'Deployment', { metadata: { generation: 1 }, spec: {}, status: { observedGeneration: 1, updatedReplicas: 1, availableReplicas: 1 } }, { kind: 'ready' }],
    ['a StatefulSet counts ready replicas', 'StatefulSet', { metadata: { generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, updatedReplicas: 2, readyReplicas: 1 } }, { kind: 'waiting', progress: '1/2 replicas ready, 2 updated' }],
    ['a DaemonSet on every node', 'DaemonSet', { metadata: { generation: 1 }, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberReady: 3 } }, { kind: 'ready' }],
    ['a complete Job', 'Job', { status: { conditions: [{ type: 'Complete', status: 'True' }] } }, { kind: 'ready' }],
    ['a failed Job', 'Job', { status: { conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] } }, { kind: 'failed', reason: 'BackoffLimitExceeded' }],
    ['a running Job', 'Job', { status: { active: 1 } }, { kind: 'waiting', progress: '0 succeeded, 1 active, 0 failed' }],
    ['a kind with nothing to wait for', 'ConfigMap', {}, { kind: 'ready' }],
  ];
  for (const [name, kind, object, expected] of cases) {
    it(`judges ${name}`, () => {
      assert.deepEqual(readinessOf(kind, object), expected);
    });
  }
});

describe('waitTimeoutMs()', () => {
  it('reads true, durations and absence', () => {
    assert.equal(waitTimeoutMs(true), 300_000);
    assert.equal(waitTimeoutMs({}), 300_000);
    assert.equal(waitTimeoutMs({ timeout: '90s' }), 90_000);
    assert.equal(waitTimeoutMs({ timeout: '2m' }), 120_000);
    assert.equal(waitTimeoutMs(false), undefined);
    assert.equal(waitTimeoutMs(undefined), undefined);
  });
});

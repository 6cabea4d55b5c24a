// Readiness waits against a real kube-apiserver. There is no controller-manager, so nothing
// rolls a Deployment out by itself: the test plays the controller by writing the status
// subresource with kubectl, as the Deployment controller would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeFiles, writeStack, type CliResult } from '../helpers/cli.ts';
import { startKube, type Kube } from '../helpers/kube.ts';

const stack = (label: string): string => `project: shop
environment: waits
resources:
  - kind: kubernetes:v1:Namespace
    name: shop-waits
  - kind: kubernetes:apps/v1:Deployment
    name: web
    properties:
      metadata: { namespace: shop-waits, labels: { rev: "${label}" } }
      wait: { timeout: 1s }
      spec:
        replicas: 2
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: "nginx:1.27" }] }
`;

describe('readiness waits against a real kube-apiserver', () => {
  let kube: Kube;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: kube.env });

  before(async () => {
    kube = await startKube();
    dir = await writeStack({ 'runestone.yaml': stack('a') });
  });
  after(async () => {
    await kube.stop();
    await removeDir(dir);
  });

  test('a Deployment that never rolls out fails the commit after its timeout, with its progress', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(r.out + r.err, /waiting for Deployment "web" rollout: 0\/2 replicas available, 0 updated/);
    assert.match(r.out, /✗ Failed kubernetes:apps\/v1:Deployment\.web: Timed out after <t> waiting for Deployment "web" rollout to be ready: 0\/2 replicas available, 0 updated\n/);
    // The apply itself happened, without the wait field.
    const spec = await kube.kubectl(['get', 'deployment', 'web', '-n', 'shop-waits', '-o', 'json']);
    assert.equal((spec.json as { spec: { replicas: number } }).spec.replicas, 2);
    assert.doesNotMatch(spec.stdout, /"wait"/);
  });

  test('once the status says every replica is available, the commit waits no longer', async () => {
    const status = JSON.stringify({ status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 } });
    const patched = await kube.kubectl(['patch', 'deployment', 'web', '-n', 'shop-waits', '--subresource=status', '--type=merge', '-p', status]);
    assert.equal(patched.code, 0, patched.stderr);
    // A label change does not bump metadata.generation, so the observed status stays current.
    await writeFiles(dir, { 'runestone.yaml': stack('b') });
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /~ Updated kubernetes:apps\/v1:Deployment\.web/);
    assert.match((await run('preview')).out, /No changes\./);
  });
});

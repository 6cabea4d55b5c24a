// The Kubernetes test environment itself: etcd + kube-apiserver built by
// `bash scripts/test-env/kube.sh install`, started by test/helpers/kube.ts, driven with kubectl.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startKube, type Kube } from '../helpers/kube.ts';

describe('the kube-apiserver test environment', () => {
  let kube: Kube;

  before(async () => {
    kube = await startKube();
  });
  after(async () => {
    await kube.stop();
  });

  test('kubectl reaches the apiserver with the generated kubeconfig as a cluster admin', async () => {
    const version = await kube.kubectl(['version', '-o', 'json']);
    assert.equal(version.code, 0, version.stderr);
    assert.equal((version.json as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion, 'v1.35.4');
    const can = await kube.kubectl(['auth', 'can-i', '*', '*']);
    assert.equal(can.stdout.trim(), 'yes');
  });

  test('objects are stored and validated by the real apiserver', async () => {
    const created = await kube.kubectl(['create', 'namespace', 'smoke']);
    assert.equal(created.code, 0, created.stderr);
    const applied = await kube.kubectl(['apply', '--server-side', '-f', '-'], {
      stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: smoke }\ndata: { mode: fast }\n',
    });
    assert.equal(applied.code, 0, applied.stderr);
    const read = await kube.kubectl(['get', 'configmap', 'settings', '-n', 'smoke', '-o', 'json']);
    assert.deepEqual((read.json as { data: unknown }).data, { mode: 'fast' });
    const invalid = await kube.kubectl(['apply', '--server-side', '-f', '-'], {
      stdin: 'apiVersion: v1\nkind: Service\nmetadata: { name: bad, namespace: smoke }\nspec: { ports: [{ port: 70000 }] }\n',
    });
    assert.notEqual(invalid.code, 0);
    assert.match(invalid.stderr, /spec\.ports\[0\]\.port: Invalid value: 70000/);
  });
});

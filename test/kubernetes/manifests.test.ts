// kubernetes:manifests: a directory of plain multi-document YAML brought in unchanged, applied
// as one resource against a real kube-apiserver and checked with kubectl.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeFiles, writeStack, type CliResult } from '../helpers/cli.ts';
import { startKube, type Kube } from '../helpers/kube.ts';

const STACK = 'project: legacy\nenvironment: dev\nresources:\n  - kind: kubernetes:manifests\n    name: app\n    properties: { path: manifests }\n';
const BASE = `apiVersion: v1
kind: Namespace
metadata: { name: legacy-app }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: old-settings, namespace: legacy-app }
data: { a: "1" }
`;
const DEPLOYMENT = (replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: legacy-app }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: api, image: "busybox:1.36" }] }
`;

describe('kubernetes:manifests against a real kube-apiserver', () => {
  let kube: Kube;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: kube.env });

  before(async () => {
    kube = await startKube();
    dir = await writeStack({ 'runestone.yaml': STACK, 'manifests/00-base.yaml': BASE, 'manifests/10-api.yml': DEPLOYMENT(1), 'manifests/README.md': 'not a manifest' });
  });
  after(async () => {
    await kube.stop();
    await removeDir(dir);
  });

  test('commit applies every document with the markers; a second preview is clean', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    const cm = await kube.kubectl(['get', 'configmap', 'old-settings', '-n', 'legacy-app', '-o', 'json']);
    const metadata = (cm.json as { metadata: { labels: Record<string, string>; annotations: Record<string, string> } }).metadata;
    assert.equal(metadata.labels['runestone.io/stack'], 'legacy.dev');
    assert.equal(metadata.annotations['runestone.io/address'], 'kubernetes:manifests.app');
    const deployment = await kube.kubectl(['get', 'deployment', 'api', '-n', 'legacy-app', '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(deployment.stdout, '1');
    const again = await run('preview', '--detect-changes');
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.out, /No changes\./);
  });

  test('edited files show as changes; a document removed from the files is deleted', async () => {
    await writeFiles(dir, { 'manifests/00-base.yaml': BASE.split('---')[0] ?? '', 'manifests/10-api.yml': DEPLOYMENT(3) });
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4, preview.out + preview.err);
    assert.match(preview.out, /~ kubernetes:manifests\.app\n/);
    assert.match(preview.out, /objects\/apps~1v1:Deployment:legacy-app~1api\/spec\/replicas: 1 → 3/);
    assert.match(preview.out, /objects\/v1:ConfigMap:legacy-app~1old-settings:/);
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal((await kube.kubectl(['get', 'deployment', 'api', '-n', 'legacy-app', '-o', 'jsonpath={.spec.replicas}'])).stdout, '3');
    assert.match((await kube.kubectl(['get', 'configmap', 'old-settings', '-n', 'legacy-app'])).stderr, /NotFound/);
    assert.match((await run('preview')).out, /No changes\./);
  });

  test('dismantle deletes every object of the set, the namespace last', async () => {
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    const left = await kube.kubectl(['get', 'deployments,configmaps', '-A', '-l', 'runestone.io/stack=legacy.dev', '-o', 'name']);
    assert.equal(left.stdout.trim(), '');
  });
});

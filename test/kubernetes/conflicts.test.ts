// force: false against a real kube-apiserver: a field another manager took over is a conflict
// at preview that names the manager, instead of being taken back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeStack, type CliResult } from '../helpers/cli.ts';
import { startKube, type Kube } from '../helpers/kube.ts';

const STACK = `project: shop
environment: conflicts
resources:
  - kind: kubernetes:apps/v1:Deployment
    name: web
    properties:
      metadata: { namespace: default }
      force: false
      spec:
        replicas: 2
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: "nginx:1.27" }] }
`;

describe('force: false against a real kube-apiserver', () => {
  let kube: Kube;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: kube.env });

  before(async () => {
    kube = await startKube();
    dir = await writeStack({ 'runestone.yaml': STACK });
  });
  after(async () => {
    await kube.stop();
    await removeDir(dir);
  });

  test('a field scaled by kubectl is a conflict naming the manager at preview, and commit changes nothing', async () => {
    assert.equal((await run('commit', '--yes')).code, 0);
    assert.equal((await kube.kubectl(['scale', 'deployment', 'web', '-n', 'default', '--replicas', '5'])).code, 0);
    const preview = await run('preview');
    assert.notEqual(preview.code, 0);
    // At the conflicting field (spec.replicas), not the resource.
    assert.match(preview.err, /runestone\.yaml:10:19: error RS_KUBE_E0003: Cannot preview \(server-side dry run\) apply apps\/v1 Deployment "default\/web": fields are owned by another field manager: .*conflict with "kubectl"/);
    assert.match(preview.err, /hint: Set force: true/);
    const commit = await run('commit', '--yes');
    assert.notEqual(commit.code, 0);
    const replicas = await kube.kubectl(['get', 'deployment', 'web', '-n', 'default', '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(replicas.stdout, '5');
  });
});

// The kubernetes provider against a real kube-apiserver, driven through the CLI and checked
// with kubectl: create through server-side apply, no-change preview, out-of-band drift named
// by field manager, align, prune of a resource dropped from config, dismantle.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeFiles, writeStack, type CliResult } from '../helpers/cli.ts';
import { startKube, type Kube } from '../helpers/kube.ts';

const STACK = `project: shop
environment: dev
providers:
  kubernetes: { namespace: shop-apply }
resources:
  - kind: kubernetes:v1:Namespace
    name: shop-apply
  - kind: kubernetes:v1:ConfigMap
    name: settings
    properties:
      metadata: { namespace: shop-apply, labels: { tier: web } }
      data: { mode: fast }
  - kind: kubernetes:v1:ConfigMap
    name: extra
    properties:
      metadata: { namespace: shop-apply }
      data: { keep: "no" }
  - kind: kubernetes:apps/v1:Deployment
    name: web
    properties:
      metadata: { namespace: shop-apply }
      spec:
        replicas: 2
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec:
            containers:
              - name: web
                image: nginx:1.27
                envFrom: [{ configMapRef: { name: "\${res.settings.name}" } }]
`;

describe('kubernetes provider against a real kube-apiserver', () => {
  let kube: Kube;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: kube.env });
  const get = async (...args: string[]): Promise<Record<string, unknown>> => {
    const r = await kube.kubectl(['get', ...args, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return r.json as Record<string, unknown>;
  };

  before(async () => {
    kube = await startKube();
    dir = await writeStack({ 'runestone.yaml': STACK });
  });
  after(async () => {
    await kube.stop();
    await removeDir(dir);
  });

  test('bootstrap reaches the API server through the kubeconfig', async () => {
    const r = await run('bootstrap');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /Provider kubernetes: kubernetes provider ready \(v1\.35\.4 at https:\/\/127\.0\.0\.1:\d+/);
  });

  test('commit applies every object server-side with the ownership markers', async () => {
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4, preview.out + preview.err);
    assert.match(preview.out, /\+ 4 new resources will be created/);
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    const cm = await get('configmap', 'settings', '-n', 'shop-apply', '--show-managed-fields') as { data: unknown; metadata: { labels: Record<string, string>; annotations: Record<string, string>; managedFields: { manager: string; operation: string }[] } };
    assert.deepEqual(cm.data, { mode: 'fast' });
    assert.equal(cm.metadata.labels['app.kubernetes.io/managed-by'], 'runestone');
    assert.equal(cm.metadata.labels['runestone.io/stack'], 'shop.dev');
    assert.equal(cm.metadata.labels['tier'], 'web');
    assert.equal(cm.metadata.annotations['runestone.io/address'], 'kubernetes:v1:ConfigMap.settings');
    assert.deepEqual(cm.metadata.managedFields.map((m) => [m.manager, m.operation]), [['runestone', 'Apply']]);
    const deployment = await get('deployment', 'web', '-n', 'shop-apply') as { spec: { replicas: number; template: { spec: { containers: { envFrom: unknown }[] } } } };
    assert.equal(deployment.spec.replicas, 2);
    assert.deepEqual(deployment.spec.template.spec.containers[0]?.envFrom, [{ configMapRef: { name: 'settings' } }]);
    const again = await run('preview', '--detect-changes');
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.out, /No changes\./);
  });

  test('out-of-band edits show as drift naming the other field manager, and align heals them', async () => {
    assert.equal((await kube.kubectl(['scale', 'deployment', 'web', '-n', 'shop-apply', '--replicas', '5'])).code, 0);
    assert.equal((await kube.kubectl(['label', '--overwrite', 'configmap', 'settings', '-n', 'shop-apply', 'tier=api'])).code, 0);
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4, preview.out + preview.err);
    assert.match(preview.out, /• kubernetes:apps\/v1:Deployment\.web spec\.replicas is 5 \(expected 2\), last set by field manager "kubectl"\n/);
    assert.match(preview.out, /• kubernetes:v1:ConfigMap\.settings metadata\.labels\.tier is "api" \(expected "web"\), last set by field manager "kubectl-label"\n/);
    const align = await run('align');
    assert.equal(align.code, 0, align.out + align.err);
    assert.equal(((await get('deployment', 'web', '-n', 'shop-apply')) as { spec: { replicas: number } }).spec.replicas, 2);
    assert.match((await run('preview')).out, /No changes\./);
  });

  test('a resource dropped from config is found by label and pruned', async () => {
    await writeFiles(dir, { "runestone.yaml": STACK.replace(/ {2}- kind: kubernetes:v1:ConfigMap\n {4}name: extra\n(?: {4,}.*\n)+?(?= {2}- kind)/, '') });
    const preview = await run('preview');
    assert.match(preview.out, /- 1 resource will be removed\n {4}- kubernetes:v1:ConfigMap\.extra/);
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    const gone = await kube.kubectl(['get', 'configmap', 'extra', '-n', 'shop-apply']);
    assert.match(gone.stderr, /NotFound/);
  });

  test('a value the API server rejects is reported at preview at the field in the YAML', async () => {
    const deployment = [
      '  - kind: kubernetes:apps/v1:Deployment',
      '    name: api',
      '    properties:',
      '      metadata: { namespace: default }',
      '      spec:',
      '        selector: { matchLabels: { app: api } }',
      '        template:',
      '          metadata: { labels: { app: api } }',
      '          spec:',
      '            containers:',
      '              - name: api',
      '                image: nginx:1.27',
      '                ports:',
      '                  - containerPort: 70000',
    ].join('\n');
    const bad = await writeStack({
      'runestone.yaml': `project: shop\nenvironment: bad\nresources:\n  - kind: kubernetes:v1:Service\n    name: web\n    properties:\n      metadata: { namespace: default }\n      spec:\n        ports: [{ port: 70000 }]\n${deployment}\n`,
    });
    try {
      const r = await runestone(['preview'], { cwd: bad, env: kube.env });
      assert.notEqual(r.code, 0);
      // The value's own line and column, not the resource's.
      assert.match(r.err, /runestone\.yaml:9:25: error RS_KUBE_E0004: Cannot preview \(server-side dry run\) apply v1 Service "default\/web": spec\.ports\[0\]\.port: Invalid value: 70000/);
      assert.match(r.err, /runestone\.yaml:23:36: error RS_KUBE_E0004: Cannot preview \(server-side dry run\) apply apps\/v1 Deployment "default\/api": spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort: Invalid value: 70000/);
      const none = await kube.kubectl(['get', 'services', '-n', 'default', '-l', 'runestone.io/stack=shop.bad', '-o', 'name']);
      assert.equal(none.stdout.trim(), '');
    } finally {
      await removeDir(bad);
    }
  });

  test('a misspelt field is refused at preview (strict field validation), at its line', async () => {
    const bad = await writeStack({
      'runestone.yaml': [
        'project: shop',
        'environment: typo',
        'resources:',
        '  - kind: kubernetes:apps/v1:Deployment',
        '    name: typo',
        '    properties:',
        '      metadata: { namespace: default }',
        '      spec:',
        '        replica: 2',
        '        selector: { matchLabels: { app: typo } }',
        '        template:',
        '          metadata: { labels: { app: typo } }',
        '          spec: { containers: [{ name: web, image: nginx:1.27 }] }',
        '',
      ].join('\n'),
    });
    try {
      const r = await runestone(['preview'], { cwd: bad, env: kube.env });
      assert.notEqual(r.code, 0);
      assert.match(r.err, /runestone\.yaml:9:18: error RS_KUBE_E0004: Cannot preview \(server-side dry run\) apply apps\/v1 Deployment "default\/typo": .*\.spec\.replica: field not declared in schema/);
      assert.doesNotMatch(r.err, /RS_KUBE_E0007/);
    } finally {
      await removeDir(bad);
    }
  });

  test('an existing object is refused unless adopt: true, then taken over with the markers', async () => {
    assert.equal((await kube.kubectl(['create', 'configmap', 'legacy', '-n', 'shop-apply', '--from-literal', 'k=v'])).code, 0);
    const body = 'project: shop\nenvironment: adopt\nproviders:\n  kubernetes: { namespace: shop-apply }\nresources:\n  - kind: kubernetes:v1:ConfigMap\n    name: legacy\n    properties:\n      data: { k: w }\n';
    const other = await writeStack({ 'runestone.yaml': body });
    try {
      const refused = await runestone(['preview'], { cwd: other, env: kube.env });
      assert.equal(refused.code, 2, refused.out + refused.err);
      assert.match(refused.err, /RS_ENGINE_E0014: Cannot create "kubernetes:v1:ConfigMap\.legacy"/);
      await writeFiles(other, { 'runestone.yaml': body.replace('    properties:', '    adopt: true\n    properties:') });
      const commit = await runestone(['commit', '--yes'], { cwd: other, env: kube.env });
      assert.equal(commit.code, 0, commit.out + commit.err);
      const cm = (await get('configmap', 'legacy', '-n', 'shop-apply')) as { data: unknown; metadata: { labels: Record<string, string> } };
      assert.deepEqual(cm.data, { k: 'w' });
      assert.equal(cm.metadata.labels['runestone.io/stack'], 'shop.adopt');
      const dismantle = await runestone(['dismantle', '--yes'], { cwd: other, env: kube.env });
      assert.equal(dismantle.code, 0, dismantle.out + dismantle.err);
    } finally {
      await removeDir(other);
    }
  });

  test('dismantle deletes contents before the namespace and leaves nothing labelled', async () => {
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    const left = await kube.kubectl(['get', 'configmaps,deployments', '-A', '-l', 'runestone.io/stack=shop.dev', '-o', 'name']);
    assert.equal(left.stdout.trim(), '');
    const ns = await kube.kubectl(['get', 'namespace', 'shop-apply', '-o', 'jsonpath={.status.phase}']);
    assert.ok(ns.stdout === 'Terminating' || /NotFound/.test(ns.stderr), ns.stdout + ns.stderr);
  });
});

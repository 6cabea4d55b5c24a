// examples/kubernetes end to end against a real kube-apiserver, checked with kubectl:
// preview → commit → no-change preview → out-of-band kubectl edits (scale, label, delete a
// configmap) → preview shows exactly that drift → align heals → dismantle leaves nothing
// labelled with the stack (a namespace left Terminating counts as deleted: no controller-manager).
import assert from 'node:assert/strict';
import { cp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT, removeDir, runestone, tempDir, type CliResult } from '../helpers/cli.ts';
import { startKube, type Kube } from '../helpers/kube.ts';

const API_TOKEN = 'example-t0ken-never-printed';
const NS = 'shop-staging';

describe('examples/kubernetes against a real kube-apiserver', () => {
  let kube: Kube;
  let dir: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir, env: { ...kube.env, RUNESTONE_VAR_api_token: API_TOKEN } });
  const json = async (...args: string[]): Promise<Record<string, unknown>> => {
    const r = await kube.kubectl(['get', ...args, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return r.json as Record<string, unknown>;
  };

  before(async () => {
    kube = await startKube();
    dir = await tempDir('rs-kube-example-');
    await cp(path.join(REPO_ROOT, 'examples', 'kubernetes'), dir, { recursive: true });
  });
  after(async () => {
    await kube.stop();
    await removeDir(dir);
  });

  test('preview, commit, a clean preview: every object stored as configured', async () => {
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4, preview.out + preview.err);
    assert.match(preview.out, /\+ 7 new resources will be created/);
    assert.match(preview.out, /stringData: \{"API_TOKEN": \(secret\)\}/);

    const commit = await run('commit', '--yes');
    assert.equal(commit.code, 0, commit.out + commit.err);
    const order = [...commit.out.matchAll(/\+ Created (\S+)/g)].map((m) => m[1] ?? '');
    assert.equal(order[0], 'kubernetes:v1:Namespace.shop-staging');
    assert.ok(order.indexOf('kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition.promotions.shop.example.com') < order.indexOf('kubernetes:shop.example.com/v1:Promotion.winter-sale'));

    const secret = (await json('secret', 'web-credentials', '-n', NS)) as { data: Record<string, string> };
    assert.equal(Buffer.from(secret.data['API_TOKEN'] ?? '', 'base64').toString(), API_TOKEN);
    const deployment = (await json('deployment', 'web', '-n', NS)) as { spec: { replicas: number; template: { spec: { containers: { envFrom: unknown }[] } } } };
    assert.equal(deployment.spec.replicas, 2);
    assert.deepEqual(deployment.spec.template.spec.containers[0]?.envFrom, [{ configMapRef: { name: 'web-settings' } }, { secretRef: { name: 'web-credentials' } }]);
    const promotion = (await json('promotions.shop.example.com', 'winter-sale', '-n', NS)) as { spec: unknown; metadata: { labels: Record<string, string> } };
    assert.deepEqual(promotion.spec, { discount: 20, code: 'WINTER' });
    assert.equal(promotion.metadata.labels['app.kubernetes.io/managed-by'], 'runestone');
    const service = (await json('service', 'web', '-n', NS)) as { spec: { ports: { port: number; targetPort: string; protocol: string }[] } };
    assert.deepEqual(service.spec.ports.map((p) => [p.port, p.targetPort, p.protocol]), [[80, 'http', 'TCP']]);

    const again = await run('preview', '--detect-changes');
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.out, /No changes\. Infrastructure matches the configuration\./);
  });

  test('kubectl edits show as exactly that drift, and align heals them', async () => {
    assert.equal((await kube.kubectl(['scale', 'deployment', 'web', '-n', NS, '--replicas', '4'])).code, 0);
    assert.equal((await kube.kubectl(['label', '--overwrite', 'service', 'web', '-n', NS, 'app=api'])).code, 0);
    assert.equal((await kube.kubectl(['delete', 'configmap', 'web-settings', '-n', NS])).code, 0);

    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 4, preview.out + preview.err);
    const drift = /Drift detected:\n((?: {2}• .*\n)+)/.exec(preview.out)?.[1] ?? '';
    assert.deepEqual(drift.trimEnd().split('\n').map((line) => line.replace(/\(last seen [^)]+\)/, '(last seen T)')), [
      '  • kubernetes:apps/v1:Deployment.web spec.replicas is 4 (expected 2), last set by field manager "kubectl"',
      '  • kubernetes:v1:ConfigMap.web-settings was deleted outside Runestone (last seen T)',
      '  • kubernetes:v1:Service.web metadata.labels.app is "api" (expected "web"), last set by field manager "kubectl-label"',
    ]);
    assert.match(preview.out, /\+ 1 new resource will be created\n {4}\+ kubernetes:v1:ConfigMap\.web-settings\n/);
    assert.match(preview.out, /~ 2 resources will be updated\n/);

    const align = await run('align');
    assert.equal(align.code, 0, align.out + align.err);
    assert.equal(((await json('deployment', 'web', '-n', NS)) as { spec: { replicas: number } }).spec.replicas, 2);
    assert.equal(((await json('service', 'web', '-n', NS)) as { metadata: { labels: Record<string, string> } }).metadata.labels['app'], 'web');
    assert.equal((await kube.kubectl(['get', 'configmap', 'web-settings', '-n', NS])).code, 0);
    assert.match((await run('preview')).out, /No changes\./);
  });

  test('the secret never reaches output or the snapshot cache', async () => {
    const cacheDir = path.join(dir, '.runestone');
    const cacheFiles = (await readdir(cacheDir)).filter((name) => name.startsWith('cache.db'));
    assert.ok(cacheFiles.includes('cache.db'));
    for (const name of cacheFiles) {
      const bytes = await readFile(path.join(cacheDir, name));
      assert.ok(!bytes.includes(API_TOKEN) && !bytes.includes(Buffer.from(API_TOKEN).toString('base64')), `${name} holds the token`);
    }
    const json = await run('preview', '--output', 'json');
    assert.ok(!json.stdout.includes(API_TOKEN) && !json.stdout.includes(Buffer.from(API_TOKEN).toString('base64')));
  });

  test('dismantle removes custom resources before their CRD and leaves nothing labelled with the stack', async () => {
    const r = await run('dismantle', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    const removed = [...r.out.matchAll(/- Removed (\S+)/g)].map((m) => m[1] ?? '');
    assert.equal(removed.at(-1), 'kubernetes:v1:Namespace.shop-staging');
    assert.ok(removed.indexOf('kubernetes:shop.example.com/v1:Promotion.winter-sale') < removed.indexOf('kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition.promotions.shop.example.com'));
    const left = await kube.kubectl(['get', 'all,configmaps,secrets,customresourcedefinitions', '-A', '-l', 'runestone.io/stack=shop.staging', '-o', 'json']);
    assert.equal(left.code, 0, left.stderr);
    // A CRD is gone only once the apiserver's own finalizer has removed its instances: one
    // already being deleted (deletionTimestamp set) counts as deleted, like the namespace.
    const items = (left.json as { items: { kind: string; metadata: { name: string; deletionTimestamp?: string } }[] }).items;
    assert.deepEqual(items.filter((i) => i.metadata.deletionTimestamp === undefined).map((i) => `${i.kind}/${i.metadata.name}`), []);
    const ns = await kube.kubectl(['get', 'namespace', NS, '-o', 'jsonpath={.status.phase}']);
    assert.ok(ns.stdout === 'Terminating' || /NotFound/.test(ns.stderr), ns.stdout + ns.stderr);
  });
});

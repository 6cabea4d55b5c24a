// A reference across providers: a ConfigMap holds the ARN of an S3 bucket made by the aws
// provider (moto), applied to a real kube-apiserver in the same commit, in graph order.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeStack } from '../helpers/cli.ts';
import { startKube, type Kube } from '../helpers/kube.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const STACK = `project: media
environment: dev
providers:
  aws: { region: us-east-1 }
resources:
  - kind: aws:s3:bucket
    name: uploads
    properties: { force_destroy: true }
  - kind: kubernetes:v1:ConfigMap
    name: storage
    properties:
      metadata: { namespace: default }
      data:
        bucket: \${res.uploads.name}
        bucket_arn: \${res.uploads.arn}
`;

describe('a Kubernetes object referencing an AWS resource', () => {
  let kube: Kube;
  let moto: Moto;
  let dir: string;

  before(async () => {
    [kube, moto] = await Promise.all([startKube(), startMoto()]);
    dir = await writeStack({ 'runestone.yaml': STACK });
  });
  after(async () => {
    await Promise.all([kube.stop(), moto.stop()]);
    await removeDir(dir);
  });

  test('preview shows the planned ARN; commit creates the bucket first, then the ConfigMap with its ARN', async () => {
    const env = { ...kube.env, ...moto.env };
    const preview = await runestone(['preview'], { cwd: dir, env });
    assert.equal(preview.code, 0, preview.out + preview.err);
    assert.match(preview.out, /\+ 2 new resources will be created/);
    // The bucket's name and ARN are known before it exists (the aws kind plans them).
    assert.match(preview.out, /\+ kubernetes:v1:ConfigMap\.storage\n.*\n {8}data: \{"bucket": "media-dev-uploads", "bucket_arn": "arn:aws:s3::/);
    const commit = await runestone(['commit', '--yes'], { cwd: dir, env });
    assert.equal(commit.code, 0, commit.out + commit.err);
    const order = [...commit.out.matchAll(/\+ Created (\S+)/g)].map((m) => m[1]);
    assert.deepEqual(order, ['aws:s3:bucket.uploads', 'kubernetes:v1:ConfigMap.storage']);
    const cm = await kube.kubectl(['get', 'configmap', 'storage', '-n', 'default', '-o', 'json']);
    assert.deepEqual((cm.json as { data: unknown }).data, { bucket: 'media-dev-uploads', bucket_arn: 'arn:aws:s3:::media-dev-uploads' });
    assert.equal((await moto.aws(['s3api', 'head-bucket', '--bucket', 'media-dev-uploads'])).code, 0);
    const again = await runestone(['preview', '--detect-changes'], { cwd: dir, env });
    assert.equal(again.code, 0, again.out + again.err);
    const dismantle = await runestone(['dismantle', '--yes'], { cwd: dir, env });
    assert.equal(dismantle.code, 0, dismantle.out + dismantle.err);
    assert.match((await kube.kubectl(['get', 'configmap', 'storage', '-n', 'default'])).stderr, /NotFound/);
  });
});

// A no-change preview reads a stack's buckets with one Tagging API listing (existence, tags,
// ownership; shared by discovery) plus one call per bucket for what the listing cannot say
// (versioning), counted by the fault proxy with no faults set. Before, it was six per bucket.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, stack, writeStack } from '../helpers/cli.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const BUCKETS = 5;

describe('API calls of a no-change preview of buckets', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let dir: string;
  const run = (...args: string[]) => runestone(args, { cwd: dir, env: { ...moto.env, AWS_ENDPOINT_URL: proxy.endpoint } });

  before(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy(moto.endpoint);
    dir = await writeStack({
      'runestone.yaml': stack(`providers:
  aws: {}
resources:
  - kind: aws:s3:bucket
    name: b-\${index}
    count: ${BUCKETS}
    properties: { versioning: true, tags: { team: data } }
`, 'budget'),
    });
  });
  after(async () => {
    await proxy.stop();
    await moto.stop();
    await removeDir(dir);
  });

  test('is one Tagging API page plus one read per bucket', async () => {
    const commit = await run('commit', '--yes');
    assert.equal(commit.code, 0, commit.stdout + commit.stderr);
    proxy.clearLog();
    const preview = await run('preview', '--detect-changes');
    assert.equal(preview.code, 0, preview.stdout + preview.stderr);
    assert.match(preview.out, /No changes\. Infrastructure matches the configuration\./);
    const counts = proxy.counts();
    assert.equal(counts['tagging:GetResources'], 1, JSON.stringify(counts));
    const s3 = Object.entries(counts).filter(([key]) => key.startsWith('s3:'));
    assert.deepEqual(s3.map(([key]) => key.replace(/\/budget-dev-b-\d\//, '/<bucket>/')).sort(), Array.from({ length: BUCKETS }, () => 's3:GET /<bucket>/?versioning'));
    assert.ok(s3.every(([, n]) => n === 1), JSON.stringify(counts));
  });

  test('a bucket deleted out of band shows as one to create again', async () => {
    assert.equal((await moto.aws(['s3api', 'delete-bucket', '--bucket', 'budget-dev-b-3'])).code, 0);
    const preview = await run('preview', '--detect-changes');
    assert.match(preview.out, /\+ 1 new resource will be created\n {4}\+ aws:s3:bucket\.b-3\n/);
  });
});

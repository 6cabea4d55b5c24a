// aws:s3:bucket ownership and concurrency against a real moto server, through the CLI and
// checked with the AWS CLI. The commit → drift → align → dismantle loop and adoption of an
// untagged bucket are in s3-drift.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeStack } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const bucketStack = (environment: string, name: string): string =>
  `project: shop\nenvironment: ${environment}\nproviders:\n  aws: { region: us-east-1 }\nresources:\n  - kind: aws:s3:bucket\n    name: assets\n    adopt: true\n    properties: { name: ${name}, force_destroy: true }\n`;

describe('aws:s3:bucket ownership and concurrency against moto', () => {
  let moto: Moto;
  const dirs: string[] = [];
  const stackDir = async (text: string): Promise<string> => {
    const dir = await writeStack({ 'runestone.yaml': text });
    dirs.push(dir);
    return dir;
  };
  const bucketNames = async (): Promise<string[]> => {
    const listed = (await moto.aws(['s3api', 'list-buckets'])).json as { Buckets?: { Name: string }[] };
    return (listed.Buckets ?? []).map((bucket) => bucket.Name);
  };

  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto.stop();
    await Promise.all(dirs.map((dir) => removeDir(dir)));
  });

  test('a bucket tagged by another stack is refused even with adopt: true', async () => {
    await moto.reset();
    const staging = await stackDir(bucketStack('staging', 'shared-assets'));
    const made = await runestone(['commit', '--yes'], { cwd: staging, env: moto.env });
    assert.equal(made.code, 0, made.out + made.err);

    const dev = await stackDir(bucketStack('dev', 'shared-assets'));
    for (const verb of [['preview'], ['commit', '--yes']]) {
      const refused = await runestone(verb, { cwd: dev, env: moto.env });
      assert.equal(refused.code, 2, refused.out + refused.err);
      assert.match(refused.err, /RS_ENGINE_E0013: Cannot manage "aws:s3:bucket\.assets": "shared-assets" belongs to stack "shop\/staging" \(as aws:s3:bucket\.assets\)/);
    }
    const tags = (await moto.aws(['s3api', 'get-bucket-tagging', '--bucket', 'shared-assets'])).json as { TagSet: { Key: string; Value: string }[] };
    assert.equal(tags.TagSet.find((tag) => tag.Key === 'runestone:stack')?.Value, 'shop/staging');
  });

  test('two commits of the same stack started together both exit 0 and leave one bucket', async () => {
    await moto.reset();
    const text = `project: shop\nenvironment: dev\nproviders:\n  aws: { region: us-east-1 }\nresources:\n  - kind: aws:s3:bucket\n    name: race\n    properties: { versioning: true, tags: { team: data } }\n`;
    const first = await stackDir(text);
    const second = await stackDir(text);
    const results = await Promise.all([first, second].map((cwd) => runestone(['commit', '--yes'], { cwd, env: moto.env })));
    for (const result of results) assert.equal(result.code, 0, result.out + result.err);
    assert.deepEqual(await bucketNames(), ['shop-dev-race']);
    const owned = (await moto.aws(['resourcegroupstaggingapi', 'get-resources', '--tag-filters', 'Key=runestone:stack,Values=shop/dev'])).json as {
      ResourceTagMappingList: { ResourceARN: string }[];
    };
    assert.deepEqual(owned.ResourceTagMappingList.map((mapping) => mapping.ResourceARN), ['arn:aws:s3:::shop-dev-race']);
    const again = await runestone(['preview', '--detect-changes'], { cwd: first, env: moto.env });
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.out, /No changes\./);
  });
});

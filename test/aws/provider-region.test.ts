// providers.aws.profile alone picks the profile's region from the shared config file, as the
// AWS CLI does: bootstrap names it, and a bucket is created there (checked with the AWS CLI).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeStack, type CliResult } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const STACK = `project: region
environment: dev
providers:
  aws: { profile: west }
resources:
  - kind: aws:s3:bucket
    name: probe
outputs:
  region: \${res.probe.region}
`;

describe('the aws provider region from a profile', () => {
  let moto: Moto;
  let dir: string;
  const saved = { AWS_REGION: process.env['AWS_REGION'], AWS_DEFAULT_REGION: process.env['AWS_DEFAULT_REGION'], AWS_PROFILE: process.env['AWS_PROFILE'] };
  const run = (...args: string[]): Promise<CliResult> => {
    // moto's endpoint, no region in the environment, credentials and region from the profile.
    const env = { AWS_ENDPOINT_URL: moto.endpoint, AWS_CONFIG_FILE: path.join(dir, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials') };
    return runestone(args, { cwd: dir, env });
  };

  before(async () => {
    // The child inherits this process's environment: make sure no region comes from it.
    for (const key of Object.keys(saved)) Reflect.deleteProperty(process.env, key);
    moto = await startMoto();
    dir = await writeStack({ 'runestone.yaml': STACK });
    await writeFile(path.join(dir, 'aws-config'), '[profile west]\nregion = us-west-2\naws_access_key_id = testing\naws_secret_access_key = testing\n');
  });
  after(async () => {
    for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
    await moto.stop();
    await removeDir(dir);
  });

  test('bootstrap names the region of the profile', async () => {
    const r = await run('bootstrap');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /aws provider ready \(account 123456789012, region us-west-2/);
  });

  test('commit creates the bucket in that region', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /region = "us-west-2"/);
    const location = (await moto.aws(['s3api', 'get-bucket-location', '--bucket', 'region-dev-probe'])).json as { LocationConstraint: string | null };
    assert.equal(location.LocationConstraint, 'us-west-2');
    assert.equal((await run('dismantle', '--yes')).code, 0);
  });
});

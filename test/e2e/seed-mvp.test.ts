// The seed's final MVP spec (test/fixtures/seed-mvp) must be valid Runestone apart from what
// is not built yet (the git module, which is not fetched) and the RDS properties a real
// database needs that the seed leaves out (engine, class, credentials).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { copyFromRepo, removeDir, runestone } from '../helpers/cli.ts';

const EXPECTED = [
  'runestone.yaml:19:13: error RS_MODULE_E0004: Module "vpc" (github.com/ataiva-software/runestone/modules/aws-vpc 1.2.0) is not fetched',
  ...['engine', 'instance_class', 'password', 'username'].map((key) => `runestone.yaml:75:7: error RS_CONFIG_E0005: Missing required key "${key}" in properties of aws:rds:instance`),
];

describe('the seed MVP spec', { concurrency: true }, () => {
  let dir: string;
  before(async () => {
    dir = await copyFromRepo('test/fixtures/seed-mvp');
  });
  after(() => removeDir(dir));

  for (const verb of ['validate', 'preview', 'graph']) {
    test(`${verb} reports only the kinds not built yet, the RDS essentials and the unfetched module`, async () => {
      const r = await runestone([verb], { cwd: dir });
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      const diagnostics = r.err.split('\n').filter((line) => /^\S+: (error|warning) /.test(line) || /^(error|warning) /.test(line));
      assert.deepEqual(diagnostics.sort(), EXPECTED);
      assert.match(r.err, /\nFound 5 errors\n$/);
      assert.match(r.err, /hint: Run `runestone bootstrap` to fetch git modules and write runestone\.lock/);
    });
  }
});

// The seed's final MVP spec (test/fixtures/seed-mvp) must be valid Runestone apart from what
// is not built yet: the git module, which is not fetched. Its aws:rds:instance gives only
// storage_gb and backup_enabled; engine (postgres), instance_class (db.t3.micro), username
// (postgres) default and, with no password, RDS keeps the master password in Secrets Manager.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyFromRepo, REPO_ROOT, removeDir, runestone } from '../helpers/cli.ts';

const EXPECTED = ['runestone.yaml:19:13: error RS_MODULE_E0004: Module "vpc" (github.com/ataiva-software/runestone/modules/aws-vpc 1.2.0) is not fetched'];

describe('the seed MVP spec', { concurrency: true }, () => {
  let dir: string;
  before(async () => {
    dir = await copyFromRepo('test/fixtures/seed-mvp');
  });
  after(() => removeDir(dir));

  for (const verb of ['validate', 'preview', 'graph']) {
    test(`${verb} reports only the unfetched module`, async () => {
      const r = await runestone([verb], { cwd: dir });
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      const diagnostics = r.err.split('\n').filter((line) => /^\S+: (error|warning) /.test(line) || /^(error|warning) /.test(line));
      assert.deepEqual(diagnostics.sort(), EXPECTED);
      assert.doesNotMatch(r.err, /RS_CONFIG_E0005/);
      assert.match(r.err, /hint: Run `runestone bootstrap` to fetch git modules and write runestone\.lock/);
    });
  }

  test('with the module sourced from this repo, the whole spec validates', async () => {
    const local = await copyFromRepo('test/fixtures/seed-mvp');
    try {
      const file = path.join(local, 'runestone.yaml');
      const text = (await readFile(file, 'utf8'))
        .replace('source: github.com/ataiva-software/runestone/modules/aws-vpc', `source: ${path.join(REPO_ROOT, 'modules', 'aws-vpc')}`)
        .replace(/\n +version: 1\.2\.0/, '');
      await writeFile(file, text);
      const r = await runestone(['validate'], { cwd: local });
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Configuration valid: 10 resources from 5 declarations in 1 file \(stack analytics-platform\/prod\)/);
    } finally {
      await removeDir(local);
    }
  });
});

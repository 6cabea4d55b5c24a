// IAM is eventually consistent: Lambda may refuse a role created a moment ago. moto answers
// CreateFunction for a role that does not exist yet with the same "cannot be assumed" error,
// so the role is created with the AWS CLI only once the commit has reported that it is
// waiting; the commit must then converge by itself.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, stack, writeStack } from '../helpers/cli.ts';
import { startMoto, type Moto } from '../helpers/moto.ts';

const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

async function waitForText(file: string, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const content = await readFile(file, 'utf8').catch(() => '');
    if (content.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`"${text}" did not appear in ${file} within ${timeoutMs} ms:\n${content}`);
    // Polling the events file while the CLI runs; not a wait for a fixed time.
    await delay(25);
  }
}

describe('aws:lambda:function waits for its role to become usable', () => {
  let moto: Moto;
  let dir: string;

  before(async () => {
    moto = await startMoto();
    dir = await writeStack({
      'runestone.yaml': stack(`providers:
  aws: {}
resources:
  - kind: aws:lambda:function
    name: late
    properties:
      runtime: python3.13
      handler: main.handler
      role: arn:aws:iam::123456789012:role/created-late
      source: ./main.py
`),
      'main.py': 'def handler(event, context):\n    return 1\n',
    });
  });
  after(async () => {
    await removeDir(dir);
    await moto.stop();
  });

  test('commit retries CreateFunction while Lambda cannot assume the role, then succeeds', async () => {
    const events = path.join(dir, 'commit.jsonl');
    const commit = runestone(['commit', '--yes', '--events', events], { cwd: dir, env: moto.env });
    await waitForText(events, 'not assumable by Lambda yet', 20_000);
    const role = await moto.aws(['iam', 'create-role', '--role-name', 'created-late', '--assume-role-policy-document', TRUST]);
    assert.equal(role.code, 0, role.stderr);
    const r = await commit;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const fn = await moto.aws(['lambda', 'get-function-configuration', '--function-name', 'e2e-dev-late']);
    assert.equal((fn.json as { Role: string }).Role, 'arn:aws:iam::123456789012:role/created-late');
  });
});

// A commit killed with SIGKILL part-way (no cleanup, no final events) leaves some resources
// created and others not, perhaps one half-written. Running commit again must converge:
// exit 0, exactly one copy of each resource (checked with the AWS CLI), and a clean preview.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { REPO_ROOT, stack } from '../helpers/cli.ts';
import { motoStack } from '../helpers/moto-stack.ts';

const BUCKETS = 6;
const STACK = stack(`providers:
  aws: {}
resources:
  - kind: aws:s3:bucket
    name: data-\${index}
    count: ${BUCKETS}
    properties:
      versioning: true
      tags: { team: data }
  - kind: aws:iam:role
    name: worker
    properties:
      assume_role_policy:
        Version: "2012-10-17"
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:AssumeRole" }]
  - kind: aws:ec2:vpc
    name: net
    properties: { cidr_block: 10.7.0.0/16 }
`, 'kill');

/** Resolves with the first `node.finished` event of a created resource in the JSONL file. */
async function firstCreated(file: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      // The last line may be half-written while the CLI is still writing it.
      if (!line.endsWith('}')) continue;
      const event = JSON.parse(line) as { kind: string; data: { nodeId?: string; status?: string; action?: string } };
      if (event.kind === 'node.finished' && event.data.status === 'done' && event.data.action === 'create') return event.data.nodeId ?? '';
    }
    if (Date.now() > deadline) throw new Error(`no resource was created within ${timeoutMs} ms:\n${text}`);
    // Polling the events file while the CLI runs; not a wait for a fixed time.
    await delay(10);
  }
}

describe('commit killed mid-way, then run again', () => {
  const stack = motoStack({ 'runestone.yaml': STACK }, { timeoutMs: 60_000 });
  const { run } = stack;

  test('SIGKILL after the first resource is created leaves the stack part-way', async () => {
    const events = path.join(stack.dir, 'killed.jsonl');
    const child = spawn(path.join(REPO_ROOT, 'bin/runestone'), ['commit', '--yes', '--parallelism', '2', '--events', events], {
      cwd: stack.dir,
      env: { ...process.env, ...stack.moto.env },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => { resolve(signal); }));
    const created = await firstCreated(events, 30_000);
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    assert.match(created, /^aws:/);
    const text = await readFile(events, 'utf8');
    assert.ok(!text.includes('"run.finished"'), 'the run was killed before it finished');
    const buckets = ((await stack.moto.aws(['s3api', 'list-buckets'])).json as { Buckets: unknown[] }).Buckets;
    assert.ok(buckets.length < BUCKETS, `the kill left buckets to create (found ${buckets.length})`);
  });

  test('commit again converges: exit 0 and exactly one copy of each resource', async () => {
    const r = await run('commit', '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const buckets = ((await stack.moto.aws(['s3api', 'list-buckets'])).json as { Buckets: { Name: string }[] }).Buckets.map((b) => b.Name).sort();
    assert.deepEqual(buckets, Array.from({ length: BUCKETS }, (_, i) => `kill-dev-data-${i}`));
    for (const bucket of buckets) {
      const tags = ((await stack.moto.aws(['s3api', 'get-bucket-tagging', '--bucket', bucket])).json as { TagSet: { Key: string; Value: string }[] }).TagSet;
      assert.deepEqual(Object.fromEntries(tags.map((t) => [t.Key, t.Value])), { team: 'data', 'runestone:stack': 'kill/dev', 'runestone:address': `aws:s3:bucket.${bucket.slice('kill-dev-'.length)}` });
    }
    const roles = ((await stack.moto.aws(['iam', 'list-roles'])).json as { Roles: { RoleName: string }[] }).Roles.map((role) => role.RoleName);
    assert.deepEqual(roles.filter((name) => name.startsWith('kill-')), ['kill-dev-worker']);
    const vpcs = ((await stack.moto.aws(['ec2', 'describe-vpcs', '--filters', 'Name=tag:runestone:stack,Values=kill/dev'])).json as { Vpcs: { CidrBlock: string }[] }).Vpcs;
    assert.deepEqual(vpcs.map((vpc) => vpc.CidrBlock), ['10.7.0.0/16']);
  });

  test('preview afterwards shows no changes', async () => {
    const r = await run('preview', '--detect-changes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.out, /No changes\. Infrastructure matches the configuration\./);
  });
});

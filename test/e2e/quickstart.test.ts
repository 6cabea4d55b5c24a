// The README's main job: examples/local, as shipped, through preview → commit → drift →
// align → dismantle, checking the real files at each step.
import assert from 'node:assert/strict';
import { access, chmod, lstat, readFile, readlink, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { copyFromRepo, readEvents, removeDir, runestone, type CliResult } from '../helpers/cli.ts';

const SECRET = 'demo-token-8f14e45f';

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

const mode = async (file: string): Promise<string> => ((await stat(file)).mode & 0o7777).toString(8).padStart(4, '0');

describe('quickstart: examples/local end to end', () => {
  let dir: string;
  let site: string;
  const run = (...args: string[]): Promise<CliResult> => runestone(args, { cwd: dir });

  before(async () => {
    dir = await copyFromRepo('examples/local');
    site = path.join(dir, 'site');
  });
  after(() => removeDir(dir));

  test('validate accepts the example', async () => {
    const r = await run('validate');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out, 'Configuration valid: 14 resources from 8 declarations in 1 file (stack quickstart/dev)\n');
  });

  test('preview prints the Option A text and changes nothing', async () => {
    const r = await run('preview');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.err, '');
    assert.ok(!r.stdout.includes('\u001b['), 'no colour without a TTY');
    const lines = r.out.split('\n');
    assert.deepEqual(lines.slice(0, 4), ['Inspecting live infrastructure...', '', 'Changes detected:', '  + 14 new resources will be created']);
    assert.deepEqual(
      lines.filter((l) => /^ {4}\+ /.test(l)).map((l) => l.trim().slice(2)),
      [
        'host:command.stamp',
        'host:directory.root',
        'host:directory.worker-0',
        'host:directory.worker-1',
        'host:file.env',
        'host:file.motd',
        'host:link.current',
        'host:template.index',
        'module:webapp.blog/host:directory.site',
        'module:webapp.blog/host:file.config',
        'module:webapp.blog/host:file.page',
        'module:webapp.docs/host:directory.site',
        'module:webapp.docs/host:file.config',
        'module:webapp.docs/host:file.page',
      ],
    );
    assert.match(r.out, /content: "Hello from Runestone \(development\)\\n"/, 'the ternary picked development');
    assert.match(r.out, /content: "API_TOKEN=\(secret\)\\n"/);
    assert.ok(!r.stdout.includes(SECRET));
    assert.ok(r.out.endsWith('\nNext: run `runestone commit` to apply these changes.\n'));
    assert.equal(await exists(site), false);
  });

  test('commit --yes creates every file, directory and link', async () => {
    const r = await run('commit', '--yes', '--events', 'commit.jsonl');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.out, /^Committing infrastructure changes\.\.\.\n\n/);
    assert.equal((r.out.match(/^ {2}\+ Created /gm) ?? []).length, 14);
    assert.match(r.out, /\n\nCommit complete \(duration: <t>\)\n\nOutputs:\n {2}index {7}= ".*\/site\/index\.html"\n {2}blog_config = ".*\/site\/sites\/blog\/server\.conf"\n$/);

    assert.deepEqual((await readdir(site)).sort(), ['.env', 'BUILD', 'current', 'index.html', 'motd.txt', 'sites', 'workers']);
    assert.equal(await mode(site), '0755');
    assert.equal(await readFile(path.join(site, 'motd.txt'), 'utf8'), 'Hello from Runestone (development)\n');
    assert.equal(await mode(path.join(site, 'motd.txt')), '0644');
    assert.equal(await readFile(path.join(site, '.env'), 'utf8'), `API_TOKEN=${SECRET}\n`);
    assert.equal(await mode(path.join(site, '.env')), '0600');
    assert.equal(await readFile(path.join(site, 'BUILD'), 'utf8'), 'built for quickstart/dev\n');
    assert.ok((await lstat(path.join(site, 'current'))).isSymbolicLink());
    assert.equal(await readlink(path.join(site, 'current')), path.join(site, 'sites/blog'));
    assert.deepEqual((await readdir(path.join(site, 'workers'))).sort(), ['worker-0', 'worker-1']);
    for (const [name, port, title] of [
      ['blog', 8081, 'Engineering blog'],
      ['docs', 8082, 'Product docs'],
    ] as const) {
      assert.equal(await readFile(path.join(site, 'sites', name, 'server.conf'), 'utf8'), `listen ${port}\nroot ./site/sites/${name}\n`);
      assert.equal(await readFile(path.join(site, 'sites', name, 'index.html'), 'utf8'), `<h1>${title}</h1>\n`);
    }
    const index = await readFile(path.join(site, 'index.html'), 'utf8');
    assert.match(index, /<title>Hello from Runestone<\/title>/);
    assert.match(index, /<li><a href="http:\/\/localhost:8081\/">Engineering blog<\/a><\/li>/);
    assert.match(index, /<li><a href="http:\/\/localhost:8082\/">Product docs<\/a><\/li>/);
    assert.match(index, /<!-- motd [0-9a-f]{64} -->/, 'the reference to res.motd.sha256 was resolved');

    const events = await readEvents(path.join(dir, 'commit.jsonl'));
    const kinds = events.map((e) => e.kind);
    assert.equal(kinds[0], 'run.started');
    assert.equal(kinds[1], 'plan.built');
    assert.equal(kinds.at(-1), 'run.finished');
    assert.ok(kinds.slice(2, -1).every((k) => k.startsWith('node.')), kinds.join(','));
    assert.equal(new Set(events.map((e) => e.runId)).size, 1);
    assert.equal(events.filter((e) => e.kind === 'node.finished' && e.data.status === 'done').length, 14);
    assert.ok(!JSON.stringify(events).includes(SECRET), 'no secret in the event stream');
    // Order along the DAG: the root directory finished before anything inside it started.
    const rootDone = events.findIndex((e) => e.kind === 'node.finished' && e.data.nodeId === 'host:directory.root');
    const motdStart = events.findIndex((e) => e.kind === 'node.started' && e.data.nodeId === 'host:file.motd');
    assert.ok(rootDone >= 0 && rootDone < motdStart);
  });

  test('a second preview says No changes', async () => {
    const r = await run('preview', '--detect-changes');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out, 'Inspecting live infrastructure...\n\nNo changes. Infrastructure matches the configuration.\n');
  });

  test('drift made behind Runestone\'s back shows in preview and exits 4 with --detect-changes', async () => {
    await writeFile(path.join(site, 'motd.txt'), 'edited by hand\n');
    await chmod(path.join(site, '.env'), 0o644);
    const r = await run('preview', '--detect-changes');
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.out, /\nDrift detected:\n {2}• host:file\.env mode is 0644 \(expected 0600\)\n {2}• host:file\.motd content changed \(sha256 [0-9a-f]{12}… → [0-9a-f]{12}…\)\n/);
    assert.match(r.out, /\nChanges detected:\n {2}~ 2 resources will be updated\n {4}~ host:file\.env\n {8}mode: "0644" → "0600"\n {4}~ host:file\.motd\n/);
    const plain = await run('preview');
    assert.equal(plain.code, 0, 'without --detect-changes pending drift is not a failure');
  });

  test('align heals autoHeal drift and only reports the notify-only .env', async () => {
    const r = await run('align');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.out, /^Aligning desired state with reality\.\.\.\n/);
    assert.match(r.out, /\n {2}• Healed host:file\.motd: content changed \(sha256 [0-9a-f]{12}… → [0-9a-f]{12}…\) \(<t>\)\n/);
    assert.match(r.out, /\n {2}! Not healed host:file\.env: mode is 0644 \(expected 0600\) \(notify-only\)\n/);
    assert.match(r.out, /\n\nInfrastructure aligned \(1 drift issue resolved, 1 reported only\)\n$/);
    assert.equal(await readFile(path.join(site, 'motd.txt'), 'utf8'), 'Hello from Runestone (development)\n');
    assert.equal(await mode(path.join(site, '.env')), '0644', 'notify-only is never touched');
  });

  test('preview is clean except the notify-only drift', async () => {
    const r = await run('preview', '--detect-changes');
    assert.equal(r.code, 4);
    assert.equal(
      r.out,
      [
        'Inspecting live infrastructure...',
        '',
        'Drift detected:',
        '  • host:file.env mode is 0644 (expected 0600)',
        '',
        'Changes detected:',
        '  ~ 1 resource will be updated',
        '    ~ host:file.env',
        '        mode: "0644" → "0600"',
        '',
        'Next: run `runestone commit` to apply these changes.',
        '',
      ].join('\n'),
    );
  });

  test('dismantle --yes removes everything it made, dependents first', async () => {
    const r = await run('dismantle', '--yes', '--events', 'dismantle.jsonl');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.out, /^The following resources will be removed:\n(?: {2}- \S+\n){14}\n/);
    assert.match(r.out, /\n\nDismantle complete \(duration: <t>\)\n$/);
    assert.equal(await exists(site), false, 'the site directory is gone');
    assert.deepEqual((await readdir(dir)).filter((f) => !f.endsWith('.jsonl')).sort(), ['.gitignore', '.runestone', 'modules', 'runestone.yaml']);

    const finished = (await readEvents(path.join(dir, 'dismantle.jsonl'))).filter((e) => e.kind === 'node.finished').map((e) => e.data.nodeId);
    const at = (id: string): number => finished.indexOf(id);
    assert.equal(finished.length, 14);
    assert.ok(at('host:directory.root') === finished.length - 1, 'the root directory goes last');
    assert.ok(at('host:command.stamp') < at('host:template.index'), 'stamp depends on index');
    assert.ok(at('host:template.index') < at('host:file.motd'), 'index references motd');
    assert.ok(at('host:link.current') < at('module:webapp.blog/host:directory.site'));

    const again = await run('preview', '--detect-changes');
    assert.equal(again.code, 4);
    assert.match(again.out, /\+ 14 new resources will be created/);
  });
});

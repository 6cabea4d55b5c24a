// Steps documents through the real CLI: preview shows what would change, commit does it in
// order, a second commit changes nothing, tags filter at plan time, include cycles name the
// chain, and errors point at file:line:col.
import assert from 'node:assert/strict';
import { access, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { copyFromRepo, readEvents, removeDir, runestone, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

async function fixture(files: Record<string, string>): Promise<string> {
  const dir = await writeStack(files);
  dirs.push(dir);
  return dir;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

describe('steps documents (examples/host/steps.yaml)', () => {
  test('preview changes nothing, commit applies every step, a second commit reports 0 changed', async () => {
    const dir = await copyFromRepo('examples/host');
    dirs.push(dir);
    const preview = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.out, /\+ 10 new resources will be created/);
    assert.match(preview.out, /\+ host:template\.config-file/);
    assert.match(preview.out, /\+ host:directory\.home-for-each-user\[1\]/);
    assert.equal(await exists(path.join(dir, 'build')), false, 'preview must not touch the disk');

    const events = path.join(dir, 'events.jsonl');
    const commit = await runestone(['commit', '-f', 'steps.yaml', '--yes', '--events', events], { cwd: dir });
    assert.equal(commit.code, 0, commit.stderr);
    assert.equal(await readFile(path.join(dir, 'build/app/app.conf'), 'utf8'), '# hello — rendered by Runestone\nport = 8080\nworkers = 4\nuser = ada\nuser = grace\n\n');
    assert.equal(await readFile(path.join(dir, 'build/app/BUILD'), 'utf8'), 'built hello\n');
    assert.equal(await readFile(path.join(dir, 'build/app/conf.d/20-cache.conf'), 'utf8'), 'cache = on\n');
    assert.equal(await readlink(path.join(dir, 'build/current')), 'app');
    assert.equal(await exists(path.join(dir, 'build/home/grace')), true);
    // Steps run one after another, in document order.
    const started = (await readEvents(events)).filter((e) => e.kind === 'node.started').map((e) => e.data.nodeId);
    assert.deepEqual(started, [
      'host:directory.app-directory',
      'host:template.config-file',
      'host:file.config-fragments[0]',
      'host:file.config-fragments[1]',
      'host:directory.home-for-each-user[0]',
      'host:directory.home-for-each-user[1]',
      'host:link.current-release-link',
      'host:command.build-stamp',
      'host:command.version-check',
      'host:command.linux-only-marker',
    ]);

    const again = await runestone(['commit', '-f', 'steps.yaml', '--yes', '-o', 'json'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    const result = JSON.parse(again.stdout) as { summary: { done: number; counts: Record<string, number> } };
    assert.equal(result.summary.done, 0);
    assert.deepEqual([result.summary.counts['create'], result.summary.counts['update'], result.summary.counts['delete']], [0, 0, 0]);
  });

  test('--tags keeps only tagged steps, and steps left out are never removed', async () => {
    const dir = await copyFromRepo('examples/host');
    dirs.push(dir);
    const tagged = await runestone(['preview', '-f', 'steps.yaml', '--tags', 'config', '-o', 'json'], { cwd: dir });
    assert.equal(tagged.code, 0, tagged.stderr);
    const ids = (JSON.parse(tagged.stdout) as { changes: { nodeId: string }[] }).changes.map((c) => c.nodeId);
    assert.deepEqual(ids, ['host:template.config-file', 'host:file.config-fragments[0]', 'host:file.config-fragments[1]']);

    assert.equal((await runestone(['commit', '-f', 'steps.yaml', '--yes'], { cwd: dir })).code, 0);
    const skipped = await runestone(['preview', '-f', 'steps.yaml', '--skip-tags', 'config,build'], { cwd: dir });
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.doesNotMatch(skipped.out, /will be removed/);
    assert.match(skipped.out, /No changes/);
  });
});

describe('steps documents: errors', () => {
  test('an include cycle fails with RS_CONFIG_E0013 and prints the chain', async () => {
    const dir = await fixture({
      'steps.yaml': 'steps:\n  - include: a.yaml\n',
      'a.yaml': '- include: b.yaml\n',
      'b.yaml': '- include: a.yaml\n',
    });
    const result = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.err, /RS_CONFIG_E0013/);
    assert.match(result.err, /Include cycle: a\.yaml:1:12 -> b\.yaml:1:12 -> a\.yaml/);
    assert.match(result.err, /steps\.yaml:2:14 -> a\.yaml:1:12 -> b\.yaml:1:12/);
  });

  test('--tags on a stack is a usage error', async () => {
    const dir = await fixture({ 'runestone.yaml': 'project: p\nresources: []\n' });
    const result = await runestone(['preview', '--tags', 'web'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.err, /RS_CLI_E0002.*--tags: it applies to steps documents only/);
  });

  test('become is refused at plan time with file:line:col', async () => {
    const dir = await fixture({ 'steps.yaml': '- name: root thing\n  shell: id\n  become: true\n' });
    const result = await runestone(['validate', '-f', 'steps.yaml'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.err, /RS_CONFIG_E0014/);
    assert.match(result.err, /steps\.yaml:3:3/);
    assert.match(result.err, /become is not supported yet/);
  });

  test('when on a var decides at plan time; --var wins over vars', async () => {
    const dir = await fixture({
      'steps.yaml': 'vars: { mode: dev }\nsteps:\n  - name: prod only\n    when: mode == "prod"\n    file: { path: ./prod, content: "" }\n',
    });
    const dev = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
    assert.match(dev.out, /No changes/);
    const prod = await runestone(['commit', '-f', 'steps.yaml', '--yes', '--var', 'mode=prod'], { cwd: dir });
    assert.equal(prod.code, 0, prod.stderr);
    assert.equal(await exists(path.join(dir, 'prod')), true);
  });
});

describe('steps documents: register and when', () => {
  const STEPS = [
    'steps:',
    '  - name: probe',
    '    shell: echo yes; echo warn >&2',
    '    register: probe',
    '  - name: when yes',
    '    when: probe.stdout == "yes" && probe.rc == 0 && probe.stderr == "warn"',
    '    file: { path: ./yes, content: "" }',
    '  - name: when no',
    '    when: ${probe.stdout == "no"}',
    '    file: { path: ./no, content: "" }',
    '  - name: after',
    '    file: { path: ./after, content: "" }',
  ].join('\n');

  test('preview reports steps whose when reads a register as would-run; commit decides them', async () => {
    const dir = await fixture({ 'steps.yaml': STEPS });
    const preview = await runestone(['preview', '-f', 'steps.yaml'], { cwd: dir });
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.out, /\+ host:file\.when-no \(would run: when \$\{probe\.stdout == "no"\} is decided during commit\)/);
    const json = await runestone(['preview', '-f', 'steps.yaml', '-o', 'json'], { cwd: dir });
    const changes = (JSON.parse(json.stdout) as { changes: { nodeId: string; condition?: string }[] }).changes;
    assert.equal(changes.find((c) => c.nodeId === 'host:file.when-no')?.condition, '${probe.stdout == "no"}');

    const commit = await runestone(['commit', '-f', 'steps.yaml', '--yes', '-o', 'json'], { cwd: dir });
    assert.equal(commit.code, 0, commit.stderr);
    const results = (JSON.parse(commit.stdout) as { results: { nodeId: string; status: string; condition?: { value: string } }[] }).results;
    assert.deepEqual(
      results.map((r) => [r.nodeId, r.status, r.condition?.value]),
      [
        ['host:command.probe', 'done', undefined],
        ['host:file.when-yes', 'done', undefined],
        ['host:file.when-no', 'skipped', 'false'],
        ['host:file.after', 'done', undefined],
      ],
    );
    assert.equal(await exists(path.join(dir, 'yes')), true);
    assert.equal(await exists(path.join(dir, 'no')), false);
    assert.equal(await exists(path.join(dir, 'after')), true, 'a step skipped by its when does not stop the steps after it');
  });

  test('a step waits for the step before it even when the steps between have nothing to do', async () => {
    const dir = await fixture({
      'steps.yaml': [
        'steps:',
        '  - { name: first, shell: "touch first", creates: first }',
        '  - { name: between, file: { path: ./between, content: "" } }',
        '  - { name: third, shell: "test -e first && touch third", creates: third }',
      ].join('\n'),
      between: '',
    });
    const events = path.join(dir, 'events.jsonl');
    const commit = await runestone(['commit', '-f', 'steps.yaml', '--yes', '--events', events], { cwd: dir });
    assert.equal(commit.code, 0, commit.stderr);
    const order = (await readEvents(events)).filter((e) => e.kind === 'node.started' || e.kind === 'node.finished').map((e) => `${e.kind} ${e.data.nodeId ?? ''}`);
    assert.deepEqual(order, ['node.started host:command.first', 'node.finished host:command.first', 'node.started host:command.third', 'node.finished host:command.third']);
  });

  test('register on a file step is refused at plan time', async () => {
    const dir = await fixture({ 'steps.yaml': '- file: { path: ./x, content: "" }\n  register: x\n' });
    const result = await runestone(['validate', '-f', 'steps.yaml'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.err, /RS_CONFIG_E0014/);
    assert.match(result.err, /steps\.yaml:2:3/);
  });
});

describe('steps documents: retries', () => {
  const FLAKY = 'test -e tried || { touch tried; echo first try fails >&2; exit 1; }; touch ok';

  test('a failed step is carried out again up to retries times', async () => {
    const dir = await fixture({ 'steps.yaml': `- name: flaky\n  shell: "${FLAKY}"\n  creates: ok\n  retries: 2\n  retry_delay: 0s\n` });
    const events = path.join(dir, 'events.jsonl');
    const commit = await runestone(['commit', '-f', 'steps.yaml', '--yes', '--events', events], { cwd: dir });
    assert.equal(commit.code, 0, commit.out + commit.err);
    assert.equal(await exists(path.join(dir, 'ok')), true);
    const attempts = (await readEvents(events)).filter((e) => e.kind === 'node.started').map((e) => e.data['attempt']);
    assert.deepEqual(attempts, [1, 2]);
  });

  test('without retries the same step fails the commit', async () => {
    const dir = await fixture({ 'steps.yaml': `- name: flaky\n  shell: "${FLAKY}"\n  creates: ok\n` });
    const commit = await runestone(['commit', '-f', 'steps.yaml', '--yes'], { cwd: dir });
    assert.equal(commit.code, 3);
    assert.match(commit.out, /first try fails/);
  });
});


// The config language through the CLI: count, for_each, when, ternaries, $${ escapes,
// typed whole values, and references (edges, "(known after commit)", commit-time values).
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { removeDir, runestone, stack, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

async function fixture(yaml: string): Promise<string> {
  const dir = await writeStack({ 'runestone.yaml': yaml });
  dirs.push(dir);
  return dir;
}

const LANGUAGE = stack(
  [
    'variables:',
    '  n: 2',
    '  enabled: false',
    '  ports: { web: 80, api: 8080 }',
    '  letters: [x, y]',
    '  mode: "0640"',
    'resources:',
    '  - kind: host:directory',
    '    name: d-${index}',
    '    count: ${n}',
    '    properties: { path: "./out/d${index}" }',
    '  - kind: host:file',
    '    name: port-${key}',
    '    for_each: ${ports}',
    '    properties:',
    '      path: ./out/port-${key}.txt',
    '      content: "${key}=${item} index=${index} first=${first} last=${last}"',
    '  - kind: host:file',
    '    name: letter-${l}',
    '    for_each: ${letters}',
    '    as: l',
    '    properties: { path: "./out/${l}.txt", content: "${l}${index}" }',
    '  - kind: host:file',
    '    name: skipped',
    '    when: ${enabled}',
    '    properties: { path: ./out/skipped, content: "never" }',
    '  - kind: host:file',
    '    name: shown',
    '    when: ${!enabled && n == 2}',
    '    properties:',
    '      path: ./out/shown.txt',
    "      content: \"${environment == 'prod' ? 'big' : 'small'} $${not_an_expression} ${n * 10}\"",
    '      mode: ${mode}',
    '',
  ].join('\n'),
);

describe('expressions', { concurrency: true }, () => {
  test('count, for_each (list, map, as:), when, ternary, $${ and typed values expand and commit', async () => {
    const dir = await fixture(LANGUAGE);
    const graph = await runestone(['graph', '--format', 'json'], { cwd: dir });
    assert.equal(graph.code, 0, graph.err);
    const ids = (JSON.parse(graph.stdout) as { nodes: { id: string }[] }).nodes.map((n) => n.id).sort();
    assert.deepEqual(ids, [
      'host:directory.d-0',
      'host:directory.d-1',
      'host:file.letter-x',
      'host:file.letter-y',
      'host:file.port-api',
      'host:file.port-web',
      'host:file.shown',
    ]);

    const commit = await runestone(['commit', '--yes'], { cwd: dir });
    assert.equal(commit.code, 0, commit.err);
    const out = path.join(dir, 'out');
    assert.deepEqual((await readdir(out)).sort(), ['d0', 'd1', 'port-api.txt', 'port-web.txt', 'shown.txt', 'x.txt', 'y.txt']);
    // Maps iterate in key order: api first.
    assert.equal(await readFile(path.join(out, 'port-api.txt'), 'utf8'), 'api=8080 index=0 first=true last=false');
    assert.equal(await readFile(path.join(out, 'port-web.txt'), 'utf8'), 'web=80 index=1 first=false last=true');
    assert.equal(await readFile(path.join(out, 'y.txt'), 'utf8'), 'y1');
    assert.equal(await readFile(path.join(out, 'shown.txt'), 'utf8'), 'small ${not_an_expression} 20');
    assert.equal((await stat(path.join(out, 'shown.txt'))).mode & 0o777, 0o640, 'mode: ${mode} is the whole typed value');
  });

  test('a whole ${} value keeps its type: a number where a string is needed is an error', async () => {
    const dir = await fixture(stack('variables:\n  n: 3\nresources:\n  - kind: host:file\n    name: f\n    properties: { path: ./f, content: "${n}" }\n'));
    const r = await runestone(['validate'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /^runestone\.yaml:8:\d+: error RS_CONFIG_E0004: .*Expected a string, found the number 3/);
    const interpolated = await fixture(stack('variables:\n  n: 3\nresources:\n  - kind: host:file\n    name: f\n    properties: { path: ./f, content: "n=${n}" }\n'));
    assert.equal((await runestone(['validate'], { cwd: interpolated })).code, 0, 'mixed text interpolates to a string');
  });

  test('count must be a whole number', async () => {
    const dir = await fixture(stack('resources:\n  - kind: host:directory\n    name: d-${index}\n    count: ${1.5}\n    properties: { path: "./d${index}" }\n'));
    const r = await runestone(['validate'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /^runestone\.yaml:6:\d+: error RS_PLAN_E0004: /);
  });

  test('references create edges; graph --format json gives each edge its reason', async () => {
    const dir = await fixture(
      stack(
        [
          'resources:',
          '  - kind: host:directory',
          '    name: root',
          '    properties: { path: ./root }',
          '  - kind: host:file',
          '    name: a',
          '    properties: { path: "${res.root.path}/a.txt", content: a }',
          '  - kind: host:file',
          '    name: b',
          '    depends_on: [host:file.a]',
          "    properties: { path: \"${res['host:directory.root'].path}/b.txt\", content: \"${res.a.sha256}\" }",
          '',
        ].join('\n'),
      ),
    );
    const r = await runestone(['graph', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    const graph = JSON.parse(r.stdout) as { nodes: { id: string; layer: number }[]; edges: { node: string; dependsOn: string; reason: string }[] };
    const edges = graph.edges.map((e) => `${e.node} -> ${e.dependsOn} (${e.reason})`).sort();
    assert.deepEqual(edges, [
      'host:file.a -> host:directory.root (reference)',
      'host:file.b -> host:directory.root (reference)',
      'host:file.b -> host:file.a (explicit)',
      'host:file.b -> host:file.a (reference)',
    ]);
    assert.deepEqual(
      graph.nodes.map((n) => [n.id, n.layer]),
      [
        ['host:directory.root', 0],
        ['host:file.a', 1],
        ['host:file.b', 2],
      ],
    );
  });

  test('a value the kind cannot know before commit previews as (known after commit) and is resolved at commit', async () => {
    const dir = await fixture(
      stack(
        [
          'resources:',
          '  - kind: host:command',
          '    name: hello',
          '    properties: { run: "echo hi-from-command && touch made", creates: ./made }',
          '  - kind: host:file',
          '    name: out',
          '    properties:',
          '      path: ./out.txt',
          '      content: "got ${res.hello.stdout}"',
          '',
        ].join('\n'),
      ),
    );
    const validate = await runestone(['validate'], { cwd: dir });
    assert.equal(validate.code, 0, validate.err);
    const preview = await runestone(['preview'], { cwd: dir });
    assert.equal(preview.code, 0, preview.err);
    assert.match(preview.out, /\n {4}\+ host:file\.out\n {8}path: "\.\/out\.txt"\n {8}mode: "0644"\n {8}content: \(known after commit\)\n/);
    const commit = await runestone(['commit', '--yes'], { cwd: dir });
    assert.equal(commit.code, 0, commit.err);
    assert.match(commit.out, / {4}\[host:command\.hello\] hi-from-command\n/);
    assert.ok(commit.out.indexOf('Created host:command.hello') < commit.out.indexOf('Created host:file.out'));
    assert.equal(await readFile(path.join(dir, 'out.txt'), 'utf8'), 'got hi-from-command');
  });

  test('a value known from config is shown at preview, not deferred', async () => {
    const dir = await fixture(stack('resources:\n  - kind: host:directory\n    name: d\n    properties: { path: ./d }\n  - kind: host:file\n    name: f\n    properties: { path: "${res.d.path}/f", content: "${res.d.mode}" }\n'));
    const r = await runestone(['preview'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\+ host:file\.f\n {8}path: "<dir>\/d\/f"\n {8}content: "0755"\n/);
  });

  test('an unknown reference exits 2 at the reference', async () => {
    const dir = await fixture(stack('resources:\n  - kind: host:file\n    name: f\n    properties: { path: ./f, content: "${res.nope.path}" }\n'));
    const r = await runestone(['validate'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /^runestone\.yaml:6:\d+: error RS_EXPR_E0007: /);
  });

  test('the seed for_each singular works, with a shadowing warning', async () => {
    const dir = await fixture(stack('variables:\n  region: eu\n  regions: [a, b]\nresources:\n  - kind: host:directory\n    name: logs-${region}\n    for_each: ${regions}\n    properties: { path: "./${region}" }\n'));
    const r = await runestone(['validate'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2 resources from 1 declaration/);
    assert.match(r.err, /warning RS_EXPR_W0001: Loop item "region" \(the singular of for_each\) shadows the global "region"/);
  });
});

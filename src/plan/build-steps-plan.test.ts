import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { listErrors } from '../core/errors.ts';
import { formatLocation } from '../core/location.ts';
import { loadSteps } from '../config/index.ts';
import { HOST_PROVIDER_TYPE } from '../providers/host/index.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import { buildStepsPlan, type BuildStepsPlanOptions } from './build-steps-plan.ts';
import { memoryFiles } from './testing/memory-files.ts';

const registry = new ProviderRegistry([HOST_PROVIDER_TYPE]);

function plan(files: Record<string, string>, options: Partial<BuildStepsPlanOptions> = {}): ReturnType<typeof buildStepsPlan> {
  const memory = memoryFiles(files);
  return buildStepsPlan(loadSteps('steps.yaml', { files: memory, cwd: '/stack' }), { registry, files: memory, facts: { os: 'linux' }, ...options });
}

function ids(files: Record<string, string>, options: Partial<BuildStepsPlanOptions> = {}): string[] {
  return plan(files, options).plan.nodes.map((node) => node.id);
}

function errors(files: Record<string, string>, options: Partial<BuildStepsPlanOptions> = {}): { code: string; at: string; message: string }[] {
  try {
    plan(files, options);
  } catch (error) {
    const list = listErrors(error);
    if (list.length === 0) throw error;
    return list.map((e) => ({ code: e.code, at: e.location === undefined ? '' : formatLocation(e.location), message: e.message }));
  }
  assert.fail('expected errors');
}

describe('buildStepsPlan()', () => {
  test('maps actions onto host kinds, in order, each step after the one before', () => {
    const { plan: p } = plan({
      'steps.yaml': [
        'vars: { dir: ./site }',
        'steps:',
        '  - name: Site dir',
        '    file: { path: "${dir}", state: directory }',
        '  - name: Index',
        '    file: { path: "${dir}/index.html", content: "hi ${os}" }',
        '  - name: Link',
        '    file: { path: ./current, state: link, src: "${dir}" }',
        '  - name: Config',
        '    template: { content: "port={{ port }}", dest: ./app.conf, vars: { port: 80 } }',
        '  - name: Build',
        '    shell: make',
        '    creates: ./out',
        '    env: { CC: gcc }',
        '    timeout: 2m',
        '  - name: Version',
        '    command: { argv: [node, --version] }',
        '    unless: "true"',
      ].join('\n'),
    });
    assert.deepEqual(
      p.nodes.map((n) => [n.id, n.edges.map((e) => `${e.to} (${e.reason})`)]),
      [
        ['host:directory.site-dir', []],
        ['host:file.index', ['host:directory.site-dir (order)']],
        ['host:link.link', ['host:file.index (order)']],
        ['host:template.config', ['host:link.link (order)']],
        ['host:command.build', ['host:template.config (order)']],
        ['host:command.version', ['host:command.build (order)']],
      ],
    );
    assert.equal(p.nodes[1]?.properties['content'], 'hi linux');
    assert.deepEqual(p.nodes[4]?.properties, { run: 'make', env: { CC: 'gcc' }, timeout: 120, creates: './out' });
    assert.deepEqual(p.nodes[5]?.properties['argv'], ['node', '--version']);
    assert.equal(p.keepsUndeclared, true);
    assert.equal(p.nodes[4].retry, undefined);
  });

  test('retries and retry_delay become the node retry policy', () => {
    const { plan: p } = plan({ 'steps.yaml': '- { shell: x, unless: "true", retries: 3, retry_delay: 2m }\n' });
    assert.deepEqual(p.nodes[0]?.retry, { count: 3, delayMs: 120_000 });
  });

  test('the bare list form is a steps document too', () => {
    assert.deepEqual(ids({ 'steps.yaml': '- shell: "true"\n  unless: "true"\n' }), ['host:command.shell-1']);
  });

  test('with_items expands to stepid[i] with item, index, first and last', () => {
    const { plan: p } = plan({
      'steps.yaml': 'steps:\n  - name: mark\n    with_items: [a, b, c]\n    file: { path: "./${item}", content: "${index} ${first} ${last}" }\n',
    });
    assert.deepEqual(
      p.nodes.map((n) => [n.id, n.properties['content'], n.edges.map((e) => e.to)]),
      [
        ['host:file.mark[0]', '0 true false', []],
        ['host:file.mark[1]', '1 false false', ['host:file.mark[0]']],
        ['host:file.mark[2]', '2 false true', ['host:file.mark[1]']],
      ],
    );
  });

  test('with_filetree walks the directory in lexicographic order', () => {
    const { plan: p } = plan({
      'steps.yaml': 'steps:\n  - name: copy\n    with_filetree: files\n    when: "!item.is_dir"\n    file: { path: "/dst/${item.path}", src: "${item.src}" }\n',
      'files/b.txt': 'b',
      'files/a/z.txt': 'z',
      'files/a.txt': 'a',
    });
    assert.deepEqual(
      p.nodes.map((n) => [n.id, n.properties['path']]),
      [
        ['host:file.copy[1]', '/dst/a.txt'],
        ['host:file.copy[2]', '/dst/a/z.txt'],
        ['host:file.copy[3]', '/dst/b.txt'],
      ],
    );
  });

  test('when reads facts and vars; precedence is --var > include_vars > vars > facts', () => {
    const files = {
      'steps.yaml': [
        'vars: { os: file-vars, size: small, level: file }',
        'steps:',
        '  - include_vars: extra.yaml',
        '  - name: show',
        '    file: { path: ./out, content: "${os} ${size} ${level}" }',
        '  - name: linux only',
        '    when: facts.os == "linux"',
        '    file: { path: ./linux, content: "" }',
        '  - name: never',
        '    when: ${size == "huge"}',
        '    file: { path: ./never, content: "" }',
      ].join('\n'),
      'extra.yaml': 'size: medium\nlevel: include\n',
    };
    const { plan: p } = plan(files, { cliVars: { level: 'cli' } });
    assert.deepEqual(
      p.nodes.map((n) => n.id),
      ['host:file.show', 'host:file.linux-only'],
    );
    assert.equal(p.nodes[0]?.properties['content'], 'file-vars medium cli');
  });

  test('--tags keeps matching steps and --skip-tags drops them, before anything runs', () => {
    const files = {
      'steps.yaml': [
        'steps:',
        '  - { name: a, tags: [web], file: { path: ./a, content: "" } }',
        '  - { name: b, tags: [db], file: { path: ./b, content: "" } }',
        '  - { name: c, file: { path: ./c, content: "" } }',
      ].join('\n'),
    };
    assert.deepEqual(ids(files, { tags: ['web'] }), ['host:file.a']);
    assert.deepEqual(ids(files, { skipTags: ['web'] }), ['host:file.b', 'host:file.c']);
    const { plan: p } = plan(files, { skipTags: ['db'] });
    assert.deepEqual(p.nodes[1]?.edges.map((e) => e.to), ['host:file.a']);
  });

  test('include runs the other file\'s steps in place, its paths relative to it', () => {
    const { plan: p } = plan({
      'steps.yaml': 'steps:\n  - { name: first, file: { path: ./first, content: "" } }\n  - include: sub/more.yaml\n  - { name: last, file: { path: ./last, content: "" } }\n',
      'sub/more.yaml': '- { name: middle, file: { path: ./middle, content: "" } }\n',
    });
    assert.deepEqual(
      p.nodes.map((n) => [n.id, n.properties['path']]),
      [
        ['host:file.first', './first'],
        ['host:file.middle', '/stack/sub/middle'],
        ['host:file.last', './last'],
      ],
    );
  });

  test('touch, absent and perms become guarded commands', () => {
    const { plan: p } = plan({
      'steps.yaml': [
        'steps:',
        '  - { name: t, file: { path: ./t, state: touch } }',
        '  - { name: gone, file: { path: "./it\'s", state: absent } }',
        '  - { name: p, file: { path: ./p, state: perms, mode: "0600" } }',
      ].join('\n'),
    });
    assert.deepEqual(
      p.nodes.map((n) => n.properties),
      [
        { run: "touch -- './t'", creates: './t', env: {} },
        { run: "rm -rf -- './it'\\''s'", unless: "test ! -e './it'\\''s' && test ! -L './it'\\''s'", env: {} },
        { run: "chmod 0600 -- './p'", unless: 'test "$(stat -c %a -- \'./p\')" = 600', env: {} },
      ],
    );
  });

  test('a when that reads a registered result is deferred to the run, with a reference edge', () => {
    const { plan: p } = plan({
      'steps.yaml': 'steps:\n  - { name: probe, shell: "echo hi", register: out }\n  - { name: a, file: { path: ./a, content: "" } }\n  - { name: b, when: \'out.stdout == "hi" && os == "linux"\', file: { path: ./b, content: "" } }\n',
    });
    const node = p.nodes[2];
    assert.ok(node?.when !== undefined);
    assert.deepEqual(node.edges.map((e) => `${e.to} (${e.reason})`), ['host:file.a (order)', 'host:command.probe (reference)']);
    assert.equal(node.when.evaluate(() => undefined), undefined, 'unknown until the registered step has run');
    assert.equal(node.when.evaluate(() => ({ exit_code: 0, stdout: 'hi', stderr: '' })), true);
    assert.equal(node.when.evaluate(() => ({ exit_code: 0, stdout: 'ho', stderr: '' })), false);
    assert.equal(p.nodes[1]?.when, undefined);
  });

  const INVALID: readonly { name: string; files: Record<string, string>; code: string; at: string; message?: RegExp }[] = [
    { name: 'no action key', files: { 'steps.yaml': 'steps:\n  - name: x\n' }, code: 'RS_CONFIG_E0004', at: 'steps.yaml:2:5', message: /no action key/ },
    { name: 'two action keys', files: { 'steps.yaml': 'steps:\n  - shell: a\n    command: { argv: [b] }\n' }, code: 'RS_CONFIG_E0004', at: 'steps.yaml:3:5', message: /exactly one/ },
    { name: 'unknown key', files: { 'steps.yaml': 'steps:\n  - shell: a\n    tgas: [x]\n' }, code: 'RS_CONFIG_E0003', at: 'steps.yaml:3:5', message: /"tgas"/ },
    { name: 'bad mode', files: { 'steps.yaml': 'steps:\n  - file: { path: ./x, mode: "999", content: "" }\n' }, code: 'RS_CONFIG_E0004', at: 'steps.yaml:2:30' },
    { name: 'become', files: { 'steps.yaml': 'steps:\n  - shell: a\n    become: true\n' }, code: 'RS_CONFIG_E0014', at: 'steps.yaml:3:5', message: /become is not supported yet/ },
    { name: 'become_user', files: { 'steps.yaml': 'steps:\n  - shell: a\n    become_user: root\n' }, code: 'RS_CONFIG_E0014', at: 'steps.yaml:3:5' },
    { name: 'retry_delay without retries', files: { 'steps.yaml': 'steps:\n  - shell: a\n    retry_delay: 1s\n' }, code: 'RS_CONFIG_E0004', at: 'steps.yaml:3:5', message: /retry_delay without retries/ },
    { name: 'failed_when', files: { 'steps.yaml': 'steps:\n  - shell: a\n    failed_when: "false"\n' }, code: 'RS_CONFIG_E0014', at: 'steps.yaml:3:5' },
    { name: 'absent on /', files: { 'steps.yaml': 'steps:\n  - file: { path: /, state: absent }\n' }, code: 'RS_CONFIG_E0004', at: 'steps.yaml:2:19', message: /Refusing/ },
    { name: 'duplicate ids', files: { 'steps.yaml': 'steps:\n  - { name: a, shell: x }\n  - { name: A, shell: y }\n' }, code: 'RS_PLAN_E0003', at: 'steps.yaml:3:13' },
    { name: 'with_items not a list', files: { 'steps.yaml': 'vars: { n: 3 }\nsteps:\n  - { with_items: "${n}", shell: x }\n' }, code: 'RS_PLAN_E0004', at: 'steps.yaml:3:19' },
    {
      name: 'include cycle',
      files: { 'steps.yaml': 'steps:\n  - include: a.yaml\n', 'a.yaml': '- include: b.yaml\n', 'b.yaml': '- include: a.yaml\n' },
      code: 'RS_CONFIG_E0013',
      at: 'steps.yaml:2:14 -> a.yaml:1:12 -> b.yaml:1:12',
      message: /^Include cycle: a\.yaml:1:12 -> b\.yaml:1:12 -> a\.yaml$/,
    },
    { name: 'self include', files: { 'steps.yaml': 'steps:\n  - include: steps.yaml\n' }, code: 'RS_CONFIG_E0013', at: 'steps.yaml:2:14', message: /steps\.yaml:2:14 -> steps\.yaml$/ },
    { name: 'missing include', files: { 'steps.yaml': 'steps:\n  - include: nope.yaml\n' }, code: 'RS_CONFIG_E0002', at: '' },
  ];
  for (const row of INVALID) {
    test(`rejects ${row.name} with ${row.code} at ${row.at || 'no location'}`, () => {
      const first = errors(row.files)[0];
      assert.ok(first !== undefined);
      assert.equal(first.code, row.code, JSON.stringify(first));
      assert.equal(first.at, row.at);
      if (row.message !== undefined) assert.match(first.message, row.message);
    });
  }
});

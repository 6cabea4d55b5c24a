// Variables: precedence --var > --var-file > RUNESTONE_VAR_x > file, unknown overrides,
// and secrets that never leave the process except into the files they configure.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { readEvents, removeDir, runestone, stack, writeStack } from '../helpers/cli.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map(removeDir)));

async function fixture(files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await writeStack(files);
  dirs.push(dir);
  return dir;
}

const PRECEDENCE = stack(
  'variables:\n  who: file\n  n: 1\nresources:\n  - kind: host:file\n    name: f\n    properties:\n      path: ./f.txt\n      content: "${who} ${n + 1}"\n',
);

describe('variables', { concurrency: true }, () => {
  const cases: readonly { name: string; args: string[]; env: Record<string, string>; expected: string }[] = [
    { name: 'the file value when nothing overrides it', args: [], env: {}, expected: 'file 2' },
    { name: 'RUNESTONE_VAR_x over the file', args: [], env: { RUNESTONE_VAR_who: 'env', RUNESTONE_VAR_n: '41' }, expected: 'env 42' },
    { name: '--var-file over RUNESTONE_VAR_x', args: ['--var-file', 'vars.yaml'], env: { RUNESTONE_VAR_who: 'env' }, expected: 'varfile 2' },
    { name: '--var over --var-file', args: ['--var-file', 'vars.yaml', '--var', 'who=cli', '--var', 'n=9'], env: { RUNESTONE_VAR_who: 'env' }, expected: 'cli 10' },
  ];
  for (const c of cases) {
    test(`preview uses ${c.name}`, async () => {
      const dir = await fixture({ 'runestone.yaml': PRECEDENCE, 'vars.yaml': 'who: varfile\n' });
      const r = await runestone(['preview', ...c.args], { cwd: dir, env: c.env });
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.includes(`content: "${c.expected}"`), r.out);
    });
  }

  test('an unknown --var exits 2 with a hint naming the declared variables', async () => {
    const dir = await fixture({ 'runestone.yaml': PRECEDENCE });
    const r = await runestone(['preview', '--var', 'woh=x'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /^error RS_CONFIG_E0008: Cannot set variable "woh" from --var: the stack declares no such variable\nhint: Did you mean "who"\?\n$/);
  });

  test('a malformed --var exits 2', async () => {
    const dir = await fixture({ 'runestone.yaml': PRECEDENCE });
    const r = await runestone(['validate', '--var', 'who'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /error RS_/);
  });

  test('an unknown RUNESTONE_VAR_ is a warning, not an error', async () => {
    const dir = await fixture({ 'runestone.yaml': PRECEDENCE });
    const r = await runestone(['validate'], { cwd: dir, env: { RUNESTONE_VAR_nope: '1' } });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /warning RS_CONFIG_W0001: .*nope/);
  });
});

describe('a secret variable', () => {
  const SECRET = 'hunter2-Zq9x7-very-secret';
  const FROM_CLI = 'cli-secret-Ko81';

  test('prints as (secret) and appears in no output, event, plan or cache', async () => {
    const dir = await fixture({
      'runestone.yaml': stack(
        [
          'variables:',
          '  token: { default: ' + SECRET + ', secret: true }',
          '  other: { default: other-secret-5521, secret: true }',
          'resources:',
          '  - kind: host:file',
          '    name: env',
          '    properties: { path: ./.env, content: "TOKEN=${token}\\n", mode: "0600" }',
          '  - kind: host:command',
          '    name: use',
          '    properties:',
          '      run: echo "token is $TOKEN and ${other}"; echo "stderr $TOKEN" >&2; touch done',
          '      creates: ./done',
          '      env: { TOKEN: "${token}" }',
          '  - kind: host:file',
          '    name: sha',
          '    properties: { path: ./sha.txt, content: "${res.env.sha256}" }',
          'outputs:',
          '  token: ${token}',
          '',
        ].join('\n'),
      ),
    });
    const outputs: string[] = [];
    const run = async (args: string[], code = 0): Promise<void> => {
      const r = await runestone(args, { cwd: dir });
      assert.equal(r.code, code, `${args.join(' ')}\n${r.stderr}`);
      outputs.push(r.stdout, r.stderr);
    };
    await run(['validate']);
    await run(['preview']);
    assert.match(outputs.at(-2)!, /content: "TOKEN=\(secret\)\\n"/);
    assert.match(outputs.at(-2)!, /env: \{"TOKEN": \(secret\)\}/);
    await run(['preview', '--output', 'json', '--events', 'preview.jsonl']);
    await run(['preview', '--output', 'markdown']);
    await run(['preview', '--out', 'plan.json']);
    await run(['graph', '--format', 'json']);
    await run(['commit', '--plan', 'plan.json', '--events', 'commit.jsonl']);
    assert.match(outputs.at(-2)!, /\[host:command\.use\] token is \(secret\) and \(secret\)/, 'command output is redacted');
    assert.equal(await readFile(path.join(dir, '.env'), 'utf8'), `TOKEN=${SECRET}\n`, 'the managed file itself holds the value');
    await run(['preview', '--var', `token=${FROM_CLI}`, '--output', 'json']);
    await run(['align', '--var', `token=${FROM_CLI}`, '--events', 'align.jsonl', '--output', 'json']);
    assert.equal(await readFile(path.join(dir, '.env'), 'utf8'), `TOKEN=${FROM_CLI}\n`);
    await run(['dismantle', '--yes', '--output', 'json', '--events', 'dismantle.jsonl']);

    const artifacts = ['plan.json', 'preview.jsonl', 'commit.jsonl', 'align.jsonl', 'dismantle.jsonl'];
    for (const file of artifacts) outputs.push(await readFile(path.join(dir, file), 'utf8'));
    assert.ok((await readEvents(path.join(dir, 'commit.jsonl'))).length > 3);
    // The SQLite cache and run history, read as raw bytes (WAL files too, if any).
    const state = path.join(dir, '.runestone');
    const stateFiles = (await readdir(state)).filter((f) => f.startsWith('cache.db'));
    assert.ok(stateFiles.includes('cache.db'));
    for (const file of stateFiles) outputs.push((await readFile(path.join(state, file))).toString('latin1'));

    for (const [i, text] of outputs.entries()) {
      assert.ok(!text.includes(SECRET), `secret leaked in output #${i}`);
      assert.ok(!text.includes(FROM_CLI), `--var secret leaked in output #${i}`);
      assert.ok(!text.includes('other-secret-5521'), `second secret leaked in output #${i}`);
    }
    assert.ok(outputs.some((text) => text.includes('(secret)')));
  });

  const TYPED = stack(
    'variables:\n  replicas: { type: number, default: 2 }\n  label: { type: string, description: Label written into the file }\n  zones: { type: list, default: [a] }\nresources:\n  - kind: host:file\n    name: f\n    properties:\n      path: ./f.txt\n      content: "${label} ${replicas} ${size(zones)}"\n',
  );

  test('typed long-form variables coerce CLI text by type and a description-only one is required', async () => {
    const dir = await fixture({ 'runestone.yaml': TYPED });
    const missing = await runestone(['preview'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.err, /error RS_CONFIG_E0009: Variable "label" has no value/);
    const ok = await runestone(['preview', '--var', 'label=007', '--var', 'replicas=3', '--var', 'zones=[a, b]'], { cwd: dir });
    assert.equal(ok.code, 0, ok.err);
    assert.ok(ok.out.includes('content: "007 3 2"'), ok.out);
  });

  test('a value of the wrong type exits 2 at the declaration, naming where the value came from', async () => {
    const dir = await fixture({ 'runestone.yaml': TYPED });
    const r = await runestone(['preview', '--var', 'label=x'], { cwd: dir, env: { RUNESTONE_VAR_replicas: 'three' } });
    assert.equal(r.code, 2);
    assert.match(r.err, /error RS_CONFIG_E0012: Variable "replicas" is declared type number, but RUNESTONE_VAR_replicas gives a string "three"/);
    assert.match(r.err, /runestone\.yaml:\d+:\d+/);
  });

  test('an unknown type name is a validation error at its key', async () => {
    const dir = await fixture({ 'runestone.yaml': stack('variables:\n  n: { type: integer, default: 1 }\nresources: []\n') });
    const r = await runestone(['validate'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /runestone\.yaml:\d+:\d+/);
    assert.match(r.err, /Variable "n" has type "integer"; expected one of string, number, bool, list, map/);
  });
});

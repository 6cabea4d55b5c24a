// A steps document over SSH (`--on`): the real CLI runs ordered steps on a real sshd host,
// register/when reads the remote command's output, and the system ssh client checks the
// result. Needs `bash scripts/test-env/sshd.sh install` (npm test's pretest runs it).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeStack } from '../helpers/cli.ts';
import { startSshd, type Sshd } from '../helpers/sshd.ts';

let web1: Sshd;
let dir: string;
let target: string;

before(async () => {
  web1 = await startSshd();
  target = await mkdtemp(path.join(tmpdir(), 'rs-ssh-steps-'));
  dir = await writeStack({
    'steps.yaml': [
      'steps:',
      '  - name: app dir',
      `    file: { path: ${target}/app, state: directory, mode: "0750" }`,
      '  - name: whoami',
      '    command: { argv: [id, -un] }',
      `    creates: ${target}/app/user`,
      '    register: who',
      '  - name: record user',
      '    when: who.changed',
      `    shell: echo "$(id -un)" > ${target}/app/user`,
      `    creates: ${target}/app/user`,
      '  - name: motd',
      `    file: { path: ${target}/app/motd, content: "hello\\n", mode: "0640" }`,
      '',
    ].join('\n'),
  });
  await writeFile(path.join(dir, 'known_hosts'), await readFile(web1.knownHostsPath, 'utf8'));
  await writeFile(
    path.join(dir, 'inventory.yaml'),
    `ssh: { known_hosts: ${path.join(dir, 'known_hosts')} }\nhosts:\n  - { name: web1, address: 127.0.0.1, port: ${web1.port}, key: ${web1.keyPath} }\n`,
  );
});
after(async () => {
  await web1.stop();
  await removeDir(dir);
  await rm(target, { recursive: true, force: true });
});

describe('steps documents --on an SSH host', () => {
  test('runs the steps in order on the host; a second commit changes nothing', async () => {
    const r = await runestone(['commit', '-f', 'steps.yaml', '-i', 'inventory.yaml', '--on', 'web1', '--yes'], { cwd: dir });
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /Created host:command\.record-user@web1/);
    assert.match(r.out, /\nHosts:\n {2}web1 {2}ok: 4 done\n/);
    const user = (await web1.ssh('id -un')).stdout;
    assert.deepEqual(await web1.ssh(`stat -c %a ${target}/app ${target}/app/motd; cat ${target}/app/user`), { code: 0, stdout: `750\n640\n${user}`, stderr: '' });

    const again = await runestone(['preview', '-f', 'steps.yaml', '-i', 'inventory.yaml', '--on', 'web1', '--detect-changes'], { cwd: dir });
    assert.equal(again.code, 0, again.out + again.err);
  });
});

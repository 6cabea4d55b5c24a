import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listErrors } from '../core/errors.ts';
import type { ConfigFiles } from './files.ts';
import { loadInventory, type Inventory, type InventoryHost } from './inventory.ts';
import { selectTargets } from './select-targets.ts';

function filesOf(files: Readonly<Record<string, string>>): ConfigFiles {
  return { readText: (file) => files[file], isDirectory: () => false, listYaml: () => [] };
}

function withoutOrigin(host: InventoryHost): Omit<InventoryHost, 'origin'> {
  const { name, address, port, user, keyPath, labels } = host;
  return { name, address, port, user, keyPath, labels };
}

function load(name: string, text: string): Inventory {
  return loadInventory(name, { files: filesOf({ [`/work/${name}`]: text }), cwd: '/work', homeDir: '/home/me' });
}

const ISSUE_EXAMPLE = `ssh: { known_hosts: ./known_hosts }
hosts:
  - name: web1
    address: 127.0.0.1
    port: 22022
    user: deploy
    key: ./id_ed25519
    labels: { role: web }
  - name: web2
    address: 127.0.0.2
    labels: { role: web }
  - name: db1
    address: db.internal
    labels: { role: db }
groups: { web: [web1, web2] }
`;

describe('loadInventory()', () => {
  it('reads the inventory.yaml shape, resolving paths from the file and applying defaults', () => {
    const inventory = load('inventory.yaml', ISSUE_EXAMPLE);
    assert.equal(inventory.knownHostsPath, '/work/known_hosts');
    assert.equal(inventory.trustOnFirstUse, false);
    assert.deepEqual(
      inventory.hosts.map(withoutOrigin),
      [
        { name: 'web1', address: '127.0.0.1', port: 22022, user: 'deploy', keyPath: '/work/id_ed25519', labels: { role: 'web' } },
        { name: 'web2', address: '127.0.0.2', port: 22, user: undefined, keyPath: undefined, labels: { role: 'web' } },
        { name: 'db1', address: 'db.internal', port: 22, user: undefined, keyPath: undefined, labels: { role: 'db' } },
      ],
    );
    assert.deepEqual(inventory.hosts[1]?.origin, { file: 'inventory.yaml', line: 9, column: 5, endLine: 12, endColumn: 1 });
    assert.deepEqual([...inventory.groups], [['web', ['web1', 'web2']]]);
  });

  it('defaults known_hosts to ~/.ssh/known_hosts and takes ssh.user and ssh.key for every host', () => {
    const inventory = load('inv.yaml', 'ssh: { user: ops, key: ~/.ssh/id_ed25519, trust_on_first_use: true }\nhosts: [{ name: a, address: 10.0.0.1 }]\n');
    assert.equal(inventory.knownHostsPath, '/home/me/.ssh/known_hosts');
    assert.equal(inventory.trustOnFirstUse, true);
    assert.equal(inventory.hosts[0]?.user, 'ops');
    assert.equal(inventory.hosts[0].keyPath, '/home/me/.ssh/id_ed25519');
  });

  it('reads a mesh-hosts.json host map, turning string fields into labels', () => {
    const inventory = load(
      'mesh-hosts.json',
      JSON.stringify({
        hosts: { lime: { tailscale_ip: '100.64.0.7', user: 'deploy', role: 'gpu', os: 'linux', cores: 8 }, fennel: '100.64.0.9', redroid: { ip: '10.1.1.1', ssh_port: 2222 } },
        services: { api: { host: 'lime', port: 8080 } },
      }, null, 2),
    );
    assert.deepEqual(
      inventory.hosts.map(withoutOrigin),
      [
        { name: 'lime', address: '100.64.0.7', port: 22, user: 'deploy', keyPath: undefined, labels: { role: 'gpu', os: 'linux' } },
        { name: 'fennel', address: '100.64.0.9', port: 22, user: undefined, keyPath: undefined, labels: {} },
        { name: 'redroid', address: '10.1.1.1', port: 2222, user: undefined, keyPath: undefined, labels: {} },
      ],
    );
  });

  const invalid: readonly { readonly name: string; readonly text: string; readonly codes: readonly string[]; readonly at: string }[] = [
    { name: 'an unknown key', text: 'hosts:\n  - name: a\n    adress: 1.2.3.4\n', codes: ['RS_CONFIG_E0005', 'RS_CONFIG_E0003'], at: 'inv.yaml:2:5' },
    { name: 'a port out of range', text: 'hosts:\n  - { name: a, address: x, port: 70000 }\n', codes: ['RS_CONFIG_E0004'], at: 'inv.yaml:2:34' },
    { name: 'a duplicate host', text: 'hosts:\n  - { name: a, address: x }\n  - { name: a, address: y }\n', codes: ['RS_HOST_E0036'], at: 'inv.yaml:3:5' },
    { name: 'the reserved name local', text: 'hosts:\n  - { name: local, address: x }\n', codes: ['RS_HOST_E0036'], at: 'inv.yaml:2:5' },
    { name: 'a group member that is no host', text: 'hosts: [{ name: a, address: x }]\ngroups:\n  web: [a, b]\n', codes: ['RS_HOST_E0036'], at: 'inv.yaml:3:12' },
    { name: 'a mesh host without an address', text: '{"hosts": {"lime": {"user": "x"}}}', codes: ['RS_HOST_E0036'], at: 'inv.yaml:1:20' },
  ];
  for (const { name, text, codes, at } of invalid) {
    it(`refuses ${name} at file:line:col`, () => {
      assert.throws(
        () => load('inv.yaml', text),
        (error: unknown) => {
          const errors = listErrors(error);
          assert.deepEqual(errors.map((e) => e.code), codes);
          const first = errors[0]?.location;
          assert.equal(first === undefined ? '' : `${first.file}:${first.line}:${first.column}`, at);
          return true;
        },
      );
    });
  }

  it('says RS_CONFIG_E0002 for a missing file', () => {
    assert.throws(() => loadInventory('nope.yaml', { files: filesOf({}), cwd: '/work', homeDir: '/h' }), (error: unknown) => listErrors(error)[0]?.code === 'RS_CONFIG_E0002');
  });
});

describe('selectTargets()', () => {
  const inventory = load('inventory.yaml', ISSUE_EXAMPLE);
  const cases: readonly { readonly on: readonly string[]; readonly hosts: readonly string[] }[] = [
    { on: [], hosts: ['local'] },
    { on: ['web1,web2'], hosts: ['web1', 'web2'] },
    { on: ['web2', 'web1', 'web2'], hosts: ['web1', 'web2'] },
    { on: ['group:web'], hosts: ['web1', 'web2'] },
    { on: ['role=db'], hosts: ['db1'] },
    { on: ['db1,local'], hosts: ['local', 'db1'] },
  ];
  for (const { on, hosts } of cases) {
    it(`selects ${hosts.join(', ')} for --on ${on.join(' --on ') || '(none)'}`, () => {
      assert.deepEqual(selectTargets(inventory, on), hosts);
    });
  }

  const bad: readonly { readonly on: string; readonly hint?: string }[] = [
    { on: 'web3', hint: 'Did you mean "web1"?' },
    { on: 'group:wbe', hint: 'Did you mean "group:web"?' },
    { on: 'role=cache' },
  ];
  for (const { on, hint } of bad) {
    it(`refuses --on ${on} with RS_HOST_E0037`, () => {
      assert.throws(
        () => selectTargets(inventory, [on]),
        (error: unknown) => {
          const [first] = listErrors(error);
          assert.equal(first?.code, 'RS_HOST_E0037');
          if (hint !== undefined) assert.equal(first.hint, hint);
          return true;
        },
      );
    });
  }

  it('refuses a remote host without an inventory', () => {
    assert.throws(() => selectTargets(undefined, ['web1']), (error: unknown) => listErrors(error)[0]?.code === 'RS_HOST_E0037');
    assert.deepEqual(selectTargets(undefined, ['local']), ['local']);
  });
});

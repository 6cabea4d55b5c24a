import path from 'node:path';
import { ConfigError, RunestoneAggregateError } from '../core/errors.ts';
import { isPlainObject } from '../core/json.ts';
import type { SourceLocation } from '../core/location.ts';
import { compileSchema } from '../schema/index.ts';
import type { ConfigFiles } from './files.ts';
import { Locator } from './locator.ts';
import { SourceFile } from './source-file.ts';
import { issuesToErrors } from './validate.ts';

/** One remote host of an inventory, with paths made absolute. */
export interface InventoryHost {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  /** Login user; `undefined` means the user running Runestone. */
  readonly user: string | undefined;
  /** Absolute path of the private key; `undefined` means the SSH agent only. */
  readonly keyPath: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly origin: SourceLocation;
}

/** A validated inventory: hosts, groups and SSH settings. */
export interface Inventory {
  readonly file: string;
  /** Absolute known_hosts path (`~/.ssh/known_hosts` unless `ssh.known_hosts` says otherwise). */
  readonly knownHostsPath: string;
  /** Accept and record unknown host keys (`ssh.trust_on_first_use`). */
  readonly trustOnFirstUse: boolean;
  /** Hosts in file order. */
  readonly hosts: readonly InventoryHost[];
  /** Group name → host names. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
}

/** The host name that always means "this machine, no SSH". */
export const LOCAL_HOST = 'local';

const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

/** JSON Schema of `inventory.yaml` (also written to schemas/ by `npm run schemas`). */
export const INVENTORY_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Runestone inventory',
  description: 'The hosts `--on` can target over SSH, their groups and labels, and how to reach them.',
  type: 'object',
  additionalProperties: false,
  required: ['hosts'],
  properties: {
    ssh: {
      type: 'object',
      description: 'Settings for every host.',
      additionalProperties: false,
      properties: {
        known_hosts: { type: 'string', minLength: 1, description: 'known_hosts file host keys are checked against (default ~/.ssh/known_hosts), relative to the inventory.' },
        trust_on_first_use: { type: 'boolean', default: false, description: 'Accept a host key known_hosts does not list yet and append it there. A changed key is always refused.' },
        user: { type: 'string', minLength: 1, description: 'Default login user (default: the user running Runestone).' },
        key: { type: 'string', minLength: 1, description: 'Default private key file, relative to the inventory (default: the SSH agent only).' },
      },
    },
    hosts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'address'],
        properties: {
          name: { type: 'string', pattern: NAME_PATTERN, description: 'Name used by --on and in node addresses (`host:file.motd@web1`).' },
          address: { type: 'string', minLength: 1, description: 'IP address or DNS name.' },
          port: { type: 'integer', minimum: 1, maximum: 65535, default: 22 },
          user: { type: 'string', minLength: 1 },
          key: { type: 'string', minLength: 1, description: 'Private key file, relative to the inventory; else ssh.key, else the SSH agent.' },
          labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Selected with --on LABEL=VALUE.' },
        },
      },
    },
    groups: {
      type: 'object',
      description: 'Group name → host names; selected with --on group:NAME.',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    },
  },
} as const;

const checkInventory = compileSchema(INVENTORY_SCHEMA);

/** Options for {@link loadInventory}. */
export interface LoadInventoryOptions {
  readonly files: ConfigFiles;
  readonly cwd: string;
  /** Home directory, for `~` in paths and the default known_hosts. */
  readonly homeDir: string;
}

/**
 * Reads an inventory: `inventory.yaml` in the shape of {@link INVENTORY_SCHEMA}, or a
 * `mesh-hosts.json` whose `hosts` is a map of host name → entry (see {@link fromMeshHosts}).
 *
 * Throws `ConfigError` (several as `RunestoneAggregateError`) located at `file:line:col`:
 * `RS_CONFIG_E0001` bad YAML/JSON, `RS_CONFIG_E0002` missing file, `RS_CONFIG_E0003`-`E0005`
 * schema issues, `RS_HOST_E0036` duplicate or reserved host names, unknown group members.
 */
export function loadInventory(file: string, options: LoadInventoryOptions): Inventory {
  const absolute = path.resolve(options.cwd, file);
  const text = options.files.readText(absolute);
  if (text === undefined) {
    throw new ConfigError('RS_CONFIG_E0002', `Cannot read inventory "${file}": it does not exist`, { hint: 'Pass an inventory with -i FILE, or create inventory.yaml' });
  }
  const display = path.relative(options.cwd, absolute) || absolute;
  const { documents } = SourceFile.parse(display, text);
  const doc = documents[0];
  if (doc === undefined) throw new ConfigError('RS_CONFIG_E0004', `Invalid inventory "${display}": the file is empty`, { location: { file: display, line: 1, column: 1 } });
  const at = new Locator(doc.source, `/${doc.index}`);
  const mesh = isPlainObject(doc.value) && isPlainObject(doc.value['hosts']);
  const value = mesh ? fromMeshHosts(doc.value, at) : structuredClone(doc.value);
  const issues = checkInventory(value);
  if (issues.length > 0) throw new RunestoneAggregateError(issuesToErrors(issues, value, at, `inventory "${display}"`));
  return settle(value as RawInventory, at, { ...options, file: absolute, mesh });
}

interface RawHost {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user?: string;
  readonly key?: string;
  readonly labels?: Record<string, string>;
}

interface RawInventory {
  readonly ssh?: { readonly known_hosts?: string; readonly trust_on_first_use: boolean; readonly user?: string; readonly key?: string };
  readonly hosts: readonly RawHost[];
  readonly groups?: Record<string, readonly string[]>;
}

function settle(raw: RawInventory, at: Locator, options: LoadInventoryOptions & { readonly file: string; readonly mesh: boolean }): Inventory {
  const dir = path.dirname(options.file);
  const resolvePath = (value: string): string => (value === '~' || value.startsWith('~/') ? path.join(options.homeDir, value.slice(1)) : path.resolve(dir, value));
  const errors: ConfigError[] = [];
  const hosts: InventoryHost[] = [];
  const seen = new Set<string>();
  // A mesh-hosts.json entry lives at /hosts/NAME; an inventory.yaml one at /hosts/INDEX.
  const hostAt = (host: RawHost, index: number): Locator => at.child('hosts').child(options.mesh ? host.name : index);
  for (const [index, host] of raw.hosts.entries()) {
    const where = hostAt(host, index);
    if (host.name === LOCAL_HOST) {
      errors.push(new ConfigError('RS_HOST_E0036', `Invalid host name "${LOCAL_HOST}": it always means this machine, without SSH`, { location: where.location() }));
      continue;
    }
    if (seen.has(host.name)) {
      errors.push(new ConfigError('RS_HOST_E0036', `Duplicate host name "${host.name}"`, { location: where.location() }));
      continue;
    }
    seen.add(host.name);
    const key = host.key ?? raw.ssh?.key;
    hosts.push({
      name: host.name,
      address: host.address,
      port: host.port,
      user: host.user ?? raw.ssh?.user,
      keyPath: key === undefined ? undefined : resolvePath(key),
      labels: host.labels ?? {},
      origin: where.location(),
    });
  }
  const groups = new Map<string, readonly string[]>();
  for (const [group, members] of Object.entries(raw.groups ?? {})) {
    for (const [index, member] of members.entries()) {
      if (!seen.has(member)) {
        errors.push(new ConfigError('RS_HOST_E0036', `Group "${group}" names unknown host "${member}"`, { location: at.child('groups').child(group).child(index).location() }));
      }
    }
    groups.set(group, members);
  }
  if (errors.length > 0) throw new RunestoneAggregateError(errors);
  return {
    file: options.file,
    knownHostsPath: resolvePath(raw.ssh?.known_hosts ?? '~/.ssh/known_hosts'),
    trustOnFirstUse: raw.ssh?.trust_on_first_use ?? false,
    hosts,
    groups,
  };
}

/** Fields of a mesh-hosts.json entry that may hold the address, in order of preference. */
const MESH_ADDRESS_FIELDS = ['address', 'ip', 'tailscale_ip', 'mesh_ip', 'host', 'hostname'];

/**
 * Converts a `mesh-hosts.json` (net-tools' host map, seed 004) into the inventory shape.
 * The seed names the file and its hosts (lime, fennel, ...) but not its fields, so this
 * reads what such maps commonly hold: `hosts` as name → entry, where an entry is an
 * address string or an object with one of `address`/`ip`/`tailscale_ip`/`mesh_ip`/
 * `host`/`hostname`, optional `user`/`ssh_user`, `port`/`ssh_port`, `key`, `labels`, and
 * other string fields (`role`, `os`, `provider`, ...) that become labels. Top-level keys
 * other than `hosts` (such as the `services` map) and non-string fields are ignored.
 */
export function fromMeshHosts(document: Record<string, unknown>, at: Locator): unknown {
  const hosts: unknown[] = [];
  const errors: ConfigError[] = [];
  for (const [name, entry] of Object.entries(document['hosts'] as Record<string, unknown>)) {
    const where = at.child('hosts').child(name);
    if (typeof entry === 'string') {
      hosts.push({ name, address: entry });
      continue;
    }
    if (!isPlainObject(entry)) {
      errors.push(new ConfigError('RS_HOST_E0036', `Invalid mesh host "${name}": expected an address or a map`, { location: where.location() }));
      continue;
    }
    const addressField = MESH_ADDRESS_FIELDS.find((field) => typeof entry[field] === 'string');
    if (addressField === undefined) {
      errors.push(new ConfigError('RS_HOST_E0036', `Invalid mesh host "${name}": no address (one of ${MESH_ADDRESS_FIELDS.join(', ')})`, { location: where.location() }));
      continue;
    }
    const user = entry['user'] ?? entry['ssh_user'];
    const port = entry['port'] ?? entry['ssh_port'];
    const labels: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(entry)) {
      if (typeof value === 'string' && !MESH_ADDRESS_FIELDS.includes(field) && !['user', 'ssh_user', 'key', 'name'].includes(field)) labels[field] = value;
    }
    if (isPlainObject(entry['labels'])) Object.assign(labels, entry['labels']);
    hosts.push({
      name,
      address: entry[addressField],
      ...(user === undefined ? {} : { user }),
      ...(port === undefined ? {} : { port }),
      ...(entry['key'] === undefined ? {} : { key: entry['key'] }),
      labels,
    });
  }
  if (errors.length > 0) throw new RunestoneAggregateError(errors);
  return { ...(isPlainObject(document['ssh']) ? { ssh: structuredClone(document['ssh']) } : {}), hosts, ...(isPlainObject(document['groups']) ? { groups: structuredClone(document['groups']) } : {}) };
}

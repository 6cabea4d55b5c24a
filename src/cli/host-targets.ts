import os from 'node:os';
import { loadInventory, LOCAL_HOST, selectTargets, type Inventory, type InventoryHost } from '../config/index.ts';
import { isRunestoneError, ProviderError, type RunestoneError } from '../core/errors.ts';
import { fanOutHosts, hostInstanceName, type Plan } from '../plan/index.ts';
import type { Provider } from '../providers/contract.ts';
import { createHostProvider } from '../providers/host/index.ts';
import { createSshTransport, type SshTransport } from '../transports/index.ts';
import { NODE_FILES } from './node-files.ts';
import type { HostDefaults } from './stack-context.ts';
import type { VerbContext } from './verb.ts';

/** A host `--on` named that could not be reached; its resources are left out of the run. */
export interface UnreachableHost {
  readonly host: string;
  readonly error: RunestoneError;
}

/** The plan spread over the `--on` hosts, and the providers that reach them. */
export interface HostTargets {
  /** Host names the run covers (`local` and/or inventory names), reachable ones only. */
  readonly hosts: readonly string[];
  readonly plan: Plan;
  /** Remote host provider instances by name (`host@web1`), each over its host's SSH transport. */
  readonly providers: ReadonlyMap<string, Provider>;
  readonly unreachable: readonly UnreachableHost[];
  /** Ends every SSH connection. */
  close(): Promise<void>;
}

/** The default inventory file, beside where Runestone runs. */
const DEFAULT_INVENTORY = 'inventory.yaml';

/**
 * Reads `-i` and `--on`, connects to each remote target once (in parallel) and spreads the
 * plan's host resources over the hosts that answered (see `fanOutHosts`). A host that does
 * not answer is reported in `unreachable` and left out; the others go on.
 *
 * Without `--on`, `defaults` (a manifest's service host and its mesh hosts file) pick the
 * targets and the inventory.
 *
 * Throws `ConfigError` for a bad inventory (`RS_CONFIG_*`, `RS_HOST_E0036`) or a selector
 * that names no host (`RS_HOST_E0037`).
 */
export async function connectHostTargets(ctx: VerbContext, plan: Plan, defaults?: HostDefaults): Promise<HostTargets> {
  const on = ctx.options.on.length > 0 || defaults === undefined ? ctx.options.on : defaults.on;
  const inventoryFile = ctx.options.inventory ?? defaults?.inventory;
  const remoteWanted = on.some((value) => value.split(',').some((s) => s.trim() !== '' && s.trim() !== LOCAL_HOST));
  const inventory = inventoryFile !== undefined || remoteWanted ? readInventory(ctx, inventoryFile) : undefined;
  const selected = selectTargets(inventory, on);
  const hostInstances = plan.providers.filter((p) => p.type === 'host');
  const remote = selected.filter((host) => host !== LOCAL_HOST);
  // Connect even when no host resource is declared: discovery over SSH finds what the
  // stack still owns on each host. A remote instance must never fall back to local.
  if (inventory === undefined || remote.length === 0) {
    return { hosts: selected, plan: fanOutHosts(plan, selected), providers: new Map(), unreachable: [], close: () => Promise.resolve() };
  }

  const byName = new Map(inventory.hosts.map((host) => [host.name, host]));
  const transports = new Map<string, SshTransport>();
  for (const name of remote) {
    const host = byName.get(name);
    if (host !== undefined) transports.set(name, createSshTransport(sshTargetOf(host, inventory, ctx)));
  }
  // One round trip per host up front: a dead host is found once, before planning, and
  // dropped, instead of failing every read of the run.
  const checks = await Promise.all(
    [...transports].map(async ([name, transport]) => {
      try {
        await transport.info();
        return undefined;
      } catch (error) {
        await transport.close();
        transports.delete(name);
        const reason = isRunestoneError(error) ? error : new ProviderError('RS_HOST_E0030', `Cannot connect to "${name}": ${String(error)}`, { cause: error });
        return { host: name, error: reason };
      }
    }),
  );
  const unreachable = checks.filter((check): check is UnreachableHost => check !== undefined);
  const hosts = selected.filter((host) => host === LOCAL_HOST || transports.has(host));
  const providers = new Map<string, Provider>();
  for (const [name, transport] of transports) {
    for (const instance of hostInstances) providers.set(hostInstanceName(instance.name, name), createHostProvider(instance.config, { transport }));
  }
  return {
    hosts,
    plan: fanOutHosts(plan, hosts),
    providers,
    unreachable,
    close: async () => {
      await Promise.all([...transports.values()].map((transport) => transport.close()));
    },
  };
}

function readInventory(ctx: VerbContext, file: string | undefined): Inventory {
  return loadInventory(file ?? DEFAULT_INVENTORY, { files: NODE_FILES, cwd: ctx.cwd, homeDir: ctx.env['HOME'] ?? os.homedir() });
}

function sshTargetOf(host: InventoryHost, inventory: Inventory, ctx: VerbContext): Parameters<typeof createSshTransport>[0] {
  const agent = ctx.env['SSH_AUTH_SOCK'];
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.user ?? currentUser(ctx),
    ...(host.keyPath === undefined ? {} : { keyPath: host.keyPath }),
    ...(agent === undefined || agent === '' ? {} : { agentSocket: agent }),
    knownHostsPath: inventory.knownHostsPath,
    trustOnFirstUse: inventory.trustOnFirstUse,
  };
}

function currentUser(ctx: VerbContext): string {
  try {
    return os.userInfo().username;
  } catch {
    return ctx.env['USER'] ?? 'root';
  }
}

import type { JsonObject } from '../../core/index.ts';
import type { KindHandler, OwnedResource, Provider, ProviderContext, SnapshotReader } from '../contract.ts';
import type { ProviderType } from '../registry.ts';
import { createLocalTransport } from '../../transports/index.ts';
import type { Transport } from '../../transports/index.ts';
import type { HostKindHandler } from './host-kind.ts';
import { createAssertKind } from './kinds/assert.ts';
import { createCommandKind } from './kinds/command.ts';
import { createCopyKind } from './kinds/copy.ts';
import { createDirectoryKind } from './kinds/directory.ts';
import { createDownloadKind } from './kinds/download.ts';
import { createFileKind } from './kinds/file.ts';
import { createLinkKind } from './kinds/link.ts';
import { createTemplateKind } from './kinds/template.ts';
import { createUnarchiveKind } from './kinds/unarchive.ts';

/** JSON Schema of a `providers.host` block: nothing to configure yet (SSH adds options later). */
export const HOST_CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'host provider',
  description: 'The host provider manages files, links, directories, templates and commands on the machine Runestone runs on.',
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const;

/** How many snapshots discovery re-reads at once (guards may start processes). */
const DISCOVER_CONCURRENCY = 16;

/** Options for `createHostProvider`. */
export interface HostProviderOptions {
  /** How commands and files reach the host; the local transport by default. */
  readonly transport?: Transport;
}

/** Creates every host kind over one transport, in a stable order. */
export function createHostKinds(transport: Transport): readonly HostKindHandler[] {
  return [
    createAssertKind(transport),
    createCommandKind(transport),
    createCopyKind(transport),
    createDirectoryKind(transport),
    createDownloadKind(transport),
    createFileKind(transport),
    createLinkKind(transport),
    createTemplateKind(transport),
    createUnarchiveKind(transport),
  ];
}

/**
 * Creates a host provider instance. Host resources carry no ownership markers, so
 * `discover` starts from the stack's snapshots for this instance and re-reads each one:
 * what is still there (but maybe no longer in config) is reported; what is gone is not.
 *
 * @param _config The validated `providers.host` block (empty for now).
 */
export function createHostProvider(_config: JsonObject, options: HostProviderOptions = {}): Provider {
  const transport = options.transport ?? createLocalTransport();
  const handlers = createHostKinds(transport);
  const kinds = new Map<string, KindHandler>(handlers.map((handler) => [handler.kind, handler]));
  const hostKinds = new Map<string, HostKindHandler>(handlers.map((handler) => [handler.kind, handler]));

  return {
    type: 'host',
    kinds,
    configSchema: HOST_CONFIG_SCHEMA,

    async check() {
      try {
        const info = await transport.info();
        return { ok: true, summary: `host provider ready (${info.platform}, user ${info.user}, via ${transport.name})` };
      } catch (error) {
        return { ok: false, summary: `host provider not ready: ${error instanceof Error ? error.message : String(error)}` };
      }
    },

    async discover(ctx) {
      return discoverFromSnapshots(hostKinds, ctx);
    },
  };
}

async function discoverFromSnapshots(
  kinds: ReadonlyMap<string, HostKindHandler>,
  ctx: ProviderContext & { readonly snapshots: SnapshotReader; readonly instance: string },
): Promise<readonly OwnedResource[]> {
  const snapshots = (await ctx.snapshots.list(ctx.stack, ctx.instance)).filter((snapshot) => kinds.has(snapshot.kind));
  const found: (OwnedResource | undefined)[] = new Array<OwnedResource | undefined>(snapshots.length);
  let next = 0;
  // A few workers pull from a shared index: bounded parallelism, results kept in snapshot order.
  const worker = async (): Promise<void> => {
    for (let i = next++; i < snapshots.length; i = next++) {
      ctx.signal.throwIfAborted();
      const snapshot = snapshots[i];
      const handler = snapshot === undefined ? undefined : kinds.get(snapshot.kind);
      if (snapshot === undefined || handler === undefined) continue;
      const live = await handler.reread(snapshot.live, ctx);
      if (live !== undefined) found[i] = { address: snapshot.address, kind: snapshot.kind, live, ...(snapshot.dependsOn === undefined ? {} : { dependsOn: snapshot.dependsOn }) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(DISCOVER_CONCURRENCY, snapshots.length) }, worker));
  return found.filter((item): item is OwnedResource => item !== undefined);
}

/** The `host` provider type, as registered with the `ProviderRegistry`. */
export const HOST_PROVIDER_TYPE: ProviderType = {
  type: 'host',
  create: (config) => createHostProvider(config),
  // Static handlers serve schemas, attributes and docs before any instance exists.
  kinds: createHostKinds(createLocalTransport()),
  configSchema: HOST_CONFIG_SCHEMA,
  alwaysInstantiated: true,
};

import type { JsonObject } from '../../core/json.ts';
import { isPlainObject } from '../../core/json.ts';
import type { KindHandler, OwnedResource, Provider, ProviderContext } from '../contract.ts';
import type { ProviderType } from '../registry.ts';
import { KubeClient, translateKubeError } from './client.ts';
import { KUBE_CONFIG_SCHEMA, loadConnection } from './config.ts';
import { impliedKubeEdges } from './implied-edges.ts';
import { createManifestsKind, MANIFESTS_KIND } from './manifests-kind.ts';
import { Discovery, type ApiResource } from './discovery.ts';
import { createObjectKind, KIND_PREFIX, parseKind, toLive, trimObject, type KubeRuntime } from './object-kind.ts';
import { ADDRESS_ANNOTATION, STACK_ANNOTATION, STACK_LABEL, stackLabelValue } from './ownership.ts';

/** Options for {@link createKubeProvider}. */
export interface KubeProviderOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The kind shown in `runestone schema --list` and the docs for every Kubernetes kind. */
const PLACEHOLDER_KIND = 'kubernetes:<apiVersion>:<Kind>';

/**
 * The `kubernetes` provider: any kind the cluster serves, as `kubernetes:<apiVersion>:<Kind>`,
 * applied server-side with field manager `runestone`, previewed with a server-side dry run,
 * marked with ownership labels and found again with one label-selector list per kind.
 */
export function createKubeProvider(config: JsonObject, options: KubeProviderOptions = {}): Provider {
  const client = new KubeClient(() => loadConnection(config, options.env ?? process.env));
  const discovery = new Discovery(client);
  const namespaces = new Map<string, Promise<boolean>>();
  const namespaceExists = (name: string, signal: AbortSignal): Promise<boolean> => {
    let known = namespaces.get(name);
    if (known === undefined) {
      known = client.request({ method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(name)}` }, { signal, allowNotFound: true }).then(
        (found) => found !== undefined,
        (error: unknown) => {
          throw translateKubeError(error, { action: `read namespace "${name}"` });
        },
      );
      namespaces.set(name, known);
    }
    return known;
  };
  const runtime: KubeRuntime = { client, discovery, namespace: async () => (await client.connection()).namespace, namespaceExists };
  const handlers = new Map<string, KindHandler>([[MANIFESTS_KIND, createManifestsKind(() => runtime)]]);
  const resolveKind = (kind: string): KindHandler | undefined => {
    if (parseKind(kind) === undefined) return undefined;
    let handler = handlers.get(kind);
    if (handler === undefined) {
      handler = createObjectKind(kind, () => runtime);
      handlers.set(kind, handler);
    }
    return handler;
  };
  return {
    type: 'kubernetes',
    kinds: handlers,
    configSchema: KUBE_CONFIG_SCHEMA,
    resolveKind,
    async check(ctx) {
      const connection = await client.connection();
      let version: { gitVersion?: string } | undefined;
      try {
        version = (await client.request({ method: 'GET', path: '/version' }, { signal: ctx.signal })) as { gitVersion?: string } | undefined;
        await client.request({ method: 'GET', path: '/api/v1/namespaces', query: { limit: '1' } }, { signal: ctx.signal });
      } catch (error) {
        throw translateKubeError(error, { action: `reach the Kubernetes API server ${connection.server}` });
      }
      return { ok: true, summary: `kubernetes provider ready (${version?.gitVersion ?? 'unknown version'} at ${connection.server}, ${connection.source}, namespace ${connection.namespace})` };
    },
    discover: (ctx) => discoverOwned(client, discovery, ctx),
  };
}

// One label-selector list per listable kind; then the exact stack annotation decides.
async function discoverOwned(client: KubeClient, discovery: Discovery, ctx: ProviderContext): Promise<OwnedResource[]> {
  const resources = await discovery.listable(ctx.signal);
  const selector = `${STACK_LABEL}=${stackLabelValue(ctx.stack)}`;
  const found: { resource: ApiResource; object: JsonObject }[] = [];
  await Promise.all(
    resources.map(async (resource) => {
      const path = `${Discovery.prefix(resource.apiVersion)}/${resource.plural}`;
      let list: { items?: JsonObject[] } | undefined;
      try {
        list = (await client.request({ method: 'GET', path, query: { labelSelector: selector } }, { signal: ctx.signal, allowNotFound: true })) as { items?: JsonObject[] } | undefined;
      } catch (error) {
        throw translateKubeError(error, { action: `list ${resource.apiVersion} ${resource.kind} labelled ${selector}` });
      }
      for (const object of list?.items ?? []) found.push({ resource, object });
    }),
  );
  const owned: OwnedResource[] = [];
  const namespaces = new Map<string, string>();
  const crds = new Map<string, string>();
  const manifestSets = new Map<string, Record<string, JsonObject>>();
  for (const { resource, object } of found) {
    const metadata = isPlainObject(object['metadata']) ? object['metadata'] : {};
    const annotations = isPlainObject(metadata['annotations']) ? metadata['annotations'] : {};
    if (annotations[STACK_ANNOTATION] !== ctx.stack || typeof annotations[ADDRESS_ANNOTATION] !== 'string') continue;
    const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
    const namespace = resource.namespaced && typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
    const live = toLive(object, { resource, namespace, name });
    if (live.owner === undefined) continue;
    if (resource.kind === 'Namespace' && resource.apiVersion === 'v1') namespaces.set(name, live.owner.address);
    if (resource.kind === 'CustomResourceDefinition') {
      const spec = isPlainObject(object['spec']) ? object['spec'] : {};
      const names = isPlainObject(spec['names']) ? spec['names'] : {};
      crds.set(`${JSON.stringify(spec['group'])}:${JSON.stringify(names['kind'])}`, live.owner.address);
    }
    if (live.owner.address.startsWith(`${MANIFESTS_KIND}.`)) {
      const group = manifestSets.get(live.owner.address) ?? {};
      group[live.identity] = trimObject(object, resource.kind);
      manifestSets.set(live.owner.address, group);
      continue;
    }
    owned.push({ address: live.owner.address, kind: `${KIND_PREFIX}${resource.apiVersion}:${resource.kind}`, live });
  }
  // The objects of one kubernetes:manifests resource are one owned resource.
  for (const [address, objects] of manifestSets) {
    owned.push({ address, kind: MANIFESTS_KIND, live: { identity: address, properties: { objects }, attributes: { objects: Object.keys(objects).sort() }, owner: { stack: ctx.stack, address } } });
  }
  // Removals run in reverse dependency order: contents before their namespace, custom
  // resources before their CRD.
  return owned.map((resource) => {
    const parsed = parseKind(resource.kind);
    const namespace = resource.live.attributes['namespace'];
    const group = parsed?.apiVersion.includes('/') === true ? parsed.apiVersion.slice(0, parsed.apiVersion.indexOf('/')) : '';
    const dependsOn = [typeof namespace === 'string' ? namespaces.get(namespace) : undefined, crds.get(`${JSON.stringify(group)}:${JSON.stringify(parsed?.kind)}`)].filter((a): a is string => a !== undefined);
    return dependsOn.length === 0 ? resource : { ...resource, dependsOn };
  });
}

/** The `kubernetes` provider type for the registry. */
export const KUBE_PROVIDER_TYPE: ProviderType = {
  type: 'kubernetes',
  configSchema: KUBE_CONFIG_SCHEMA,
  kinds: [{ ...createObjectKind(PLACEHOLDER_KIND, unconfigured), description: 'Any kind the cluster serves, e.g. kubernetes:apps/v1:Deployment, through server-side apply' }, createManifestsKind(unconfigured)],
  resolveKind: (kind) => (parseKind(kind) === undefined ? undefined : createObjectKind(kind, unconfigured)),
  impliedEdges: impliedKubeEdges,
  create: (config) => createKubeProvider(config),
};

function unconfigured(): KubeRuntime {
  throw new Error('Kubernetes kinds listed for schemas cannot call the API server');
}

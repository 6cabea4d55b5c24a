import { isPlainObject, type JsonObject } from '../../core/json.ts';
import { translateKubeError, type KubeClient } from './client.ts';
import { Discovery, type ApiResource } from './discovery.ts';
import { STACK_LABEL, stackLabelValue } from './ownership.ts';

/** Which objects of one kind in one namespace exist, listed once per observation pass. */
interface KindIndex {
  /** Full objects labelled with the stack, by name. */
  readonly owned: ReadonlyMap<string, JsonObject>;
  /** Names of every object of the kind there, labelled or not. */
  readonly names: ReadonlySet<string>;
}

// The metadata-only form of a list: names without specs, however large the objects are.
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

const PASSES = new WeakMap<object, Map<string, Promise<KindIndex>>>();

/**
 * The stored object `name` (of `resource`, in `namespace`) as one observation pass sees it,
 * or `undefined` when it does not exist. Instead of a GET per object, the first read of a
 * kind in a namespace lists it twice for the whole pass: the stack's objects in full (label
 * selector) and the names of all others (metadata only). Only an object that exists but is
 * not labelled with the stack (someone else's, or made before Runestone) is read on its own.
 */
export async function observedObject(
  client: KubeClient,
  pass: object,
  target: { readonly resource: ApiResource; readonly namespace: string | undefined; readonly name: string },
  stack: string,
  signal: AbortSignal,
  get: () => Promise<JsonObject | undefined>,
): Promise<JsonObject | undefined> {
  let indexes = PASSES.get(pass);
  if (indexes === undefined) {
    indexes = new Map();
    PASSES.set(pass, indexes);
  }
  const { resource, namespace } = target;
  const key = `${resource.apiVersion}/${resource.plural}/${namespace ?? ''}/${stack}`;
  let index = indexes.get(key);
  if (index === undefined) {
    index = listKind(client, resource, namespace, stack, signal);
    indexes.set(key, index);
  }
  const { owned, names } = await index;
  const found = owned.get(target.name);
  if (found !== undefined) return found;
  return names.has(target.name) ? get() : undefined;
}

async function listKind(client: KubeClient, resource: ApiResource, namespace: string | undefined, stack: string, signal: AbortSignal): Promise<KindIndex> {
  const ns = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  const path = `${Discovery.prefix(resource.apiVersion)}${ns}/${resource.plural}`;
  const selector = `${STACK_LABEL}=${stackLabelValue(stack)}`;
  const what = `${resource.apiVersion} ${resource.kind}${namespace === undefined ? '' : ` in namespace "${namespace}"`}`;
  const [labelled, all] = await Promise.all([
    list(client, path, { labelSelector: selector }, undefined, signal, `list ${what} labelled ${selector}`),
    list(client, path, {}, METADATA_LIST, signal, `list ${what}`),
  ]);
  const owned = new Map<string, JsonObject>();
  for (const object of labelled) {
    const name = nameOf(object);
    if (name !== undefined) owned.set(name, object);
  }
  const names = new Set<string>();
  for (const object of all) {
    const name = nameOf(object);
    if (name !== undefined) names.add(name);
  }
  return { owned, names };
}

// Every item of a list, page by page.
async function list(client: KubeClient, path: string, query: Record<string, string>, accept: string | undefined, signal: AbortSignal, action: string): Promise<JsonObject[]> {
  const items: JsonObject[] = [];
  let next: string | undefined;
  do {
    let page: { items?: JsonObject[]; metadata?: { continue?: string } } | undefined;
    try {
      page = (await client.request(
        { method: 'GET', path, query: { ...query, limit: '500', ...(next === undefined ? {} : { continue: next }) }, ...(accept === undefined ? {} : { accept }) },
        { signal, allowNotFound: true },
      )) as typeof page;
    } catch (error) {
      throw translateKubeError(error, { action });
    }
    items.push(...(page?.items ?? []));
    next = page?.metadata?.continue === '' ? undefined : page?.metadata?.continue;
  } while (next !== undefined);
  return items;
}

function nameOf(object: JsonObject): string | undefined {
  const metadata = object['metadata'];
  return isPlainObject(metadata) && typeof metadata['name'] === 'string' ? metadata['name'] : undefined;
}

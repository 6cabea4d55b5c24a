import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigError, ProviderError } from '../../core/errors.ts';
import { isPlainObject, type JsonObject } from '../../core/json.ts';
import type { SourceLocation } from '../../core/location.ts';
import type { DesiredResource, FieldDiff, KindHandler, LiveState, ProviderContext } from '../contract.ts';
import { FIELD_MANAGER, KubeStatusError, translateKubeError } from './client.ts';
import { Discovery, type ApiResource } from './discovery.ts';
import { compareValues, identityOf, objectPath, trimObject, type KubeRuntime } from './object-kind.ts';
import { ADDRESS_ANNOTATION, MANAGED_BY_LABEL, STACK_ANNOTATION, STACK_LABEL, stackLabelValue } from './ownership.ts';

/** The kind that brings in a file or directory of plain Kubernetes YAML manifests. */
export const MANIFESTS_KIND = 'kubernetes:manifests';

/** Properties of `kubernetes:manifests`. */
export const MANIFESTS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'A YAML file (multi-document) or a directory of *.yaml / *.yml files, relative to the stack' },
    namespace: { type: 'string', minLength: 1, description: 'Namespace for namespaced objects that name none (default: the provider namespace)' },
  },
} as const satisfies JsonObject;

// One object of the set: where it lives and what config wants.
interface Member {
  readonly key: string;
  readonly resource: ApiResource | undefined;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly manifest: JsonObject;
}

const PLANNED = new WeakMap<LiveState, JsonObject>();

/**
 * `kubernetes:manifests`: every object in a file or directory of plain YAML manifests, applied
 * as one resource (server-side apply, field manager `runestone`, the same ownership markers,
 * each object's address annotation naming this resource). Objects that leave the files are
 * deleted by the next commit. Namespaces and CRDs are applied first and deleted last.
 */
export function createManifestsKind(runtime: () => KubeRuntime): KindHandler {
  const membersOf = async (desired: DesiredResource, ctx: ProviderContext): Promise<Member[]> => {
    const docs = await loadManifests(path.resolve(ctx.baseDir, text(desired.properties['path'])), desired.origin);
    const fallback = typeof desired.properties['namespace'] === 'string' ? desired.properties['namespace'] : await runtime().namespace();
    const members: Member[] = [];
    for (const doc of docs) {
      const apiVersion = text(doc['apiVersion']);
      const kind = text(doc['kind']);
      const metadata = isPlainObject(doc['metadata']) ? doc['metadata'] : {};
      const name = text(metadata['name']);
      const resource = await runtime().discovery.find(apiVersion, kind, ctx.signal);
      // A kind not served yet (a CRD in the same files) is taken as namespaced when it names a namespace.
      const namespaced = resource?.namespaced ?? typeof metadata['namespace'] === 'string';
      const namespace = namespaced ? (typeof metadata['namespace'] === 'string' ? metadata['namespace'] : fallback) : undefined;
      const stack = desired.stack ?? '';
      const labels = isPlainObject(metadata['labels']) ? metadata['labels'] : {};
      const annotations = isPlainObject(metadata['annotations']) ? metadata['annotations'] : {};
      const manifest: JsonObject = {
        ...doc,
        metadata: {
          ...metadata,
          ...(namespace === undefined ? {} : { namespace }),
          labels: { ...labels, [MANAGED_BY_LABEL]: 'runestone', [STACK_LABEL]: stackLabelValue(stack) } as JsonObject,
          annotations: { ...annotations, [STACK_ANNOTATION]: stack, [ADDRESS_ANNOTATION]: desired.address } as JsonObject,
        },
      };
      members.push({ key: identityOf(apiVersion, kind, namespace, name), resource, apiVersion, kind, namespace, name, manifest });
    }
    return members.sort((a, b) => rank(a.kind) - rank(b.kind));
  };

  const request = async (member: Member, resource: ApiResource, method: 'GET' | 'PATCH' | 'DELETE', options: { dryRun?: boolean; signal: AbortSignal; location?: SourceLocation | undefined }): Promise<JsonObject | undefined> => {
    const target = { resource, namespace: member.namespace, name: member.name };
    const what = `${member.apiVersion} ${member.kind} "${member.namespace === undefined ? '' : `${member.namespace}/`}${member.name}"`;
    try {
      if (method === 'PATCH') {
        const query: Record<string, string> = { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', force: 'true', ...(options.dryRun === true ? { dryRun: 'All' } : {}) };
        return (await runtime().client.request({ method, path: objectPath(target), query, body: member.manifest, contentType: 'application/apply-patch+yaml' }, { signal: options.signal })) as JsonObject;
      }
      const query: Record<string, string> = method === 'DELETE' ? { propagationPolicy: 'Background' } : {};
      return (await runtime().client.request({ method, path: objectPath(target), query }, { signal: options.signal, allowNotFound: true })) as JsonObject | undefined;
    } catch (error) {
      if (options.dryRun === true && error instanceof KubeStatusError && error.status === 404) return undefined;
      throw translateKubeError(error, { action: `${options.dryRun === true ? 'preview (server-side dry run) ' : ''}${method === 'DELETE' ? 'delete' : method === 'GET' ? 'read' : 'apply'} ${what}`, location: options.location });
    }
  };

  // Objects labelled with this stack whose address annotation names this resource.
  const labelled = async (desired: { readonly address: string; readonly stack: string }, signal: AbortSignal): Promise<Map<string, { resource: ApiResource; object: JsonObject }>> => {
    const found = new Map<string, { resource: ApiResource; object: JsonObject }>();
    const selector = `${STACK_LABEL}=${stackLabelValue(desired.stack)}`;
    const resources = await runtime().discovery.listable(signal);
    await Promise.all(
      resources.map(async (resource) => {
        let list: { items?: JsonObject[] } | undefined;
        try {
          list = (await runtime().client.request({ method: 'GET', path: `${Discovery.prefix(resource.apiVersion)}/${resource.plural}`, query: { labelSelector: selector } }, { signal, allowNotFound: true })) as { items?: JsonObject[] } | undefined;
        } catch (error) {
          throw translateKubeError(error, { action: `list ${resource.apiVersion} ${resource.kind} labelled ${selector}` });
        }
        for (const object of list?.items ?? []) {
          const metadata = isPlainObject(object['metadata']) ? object['metadata'] : {};
          const annotations = isPlainObject(metadata['annotations']) ? metadata['annotations'] : {};
          if (annotations[ADDRESS_ANNOTATION] !== desired.address || annotations[STACK_ANNOTATION] !== desired.stack) continue;
          const namespace = resource.namespaced && typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
          found.set(identityOf(resource.apiVersion, resource.kind, namespace, text(metadata['name'])), { resource, object });
        }
      }),
    );
    return found;
  };

  const handler: KindHandler = {
    kind: MANIFESTS_KIND,
    description: 'Every object in a file or directory of plain Kubernetes YAML manifests, applied server-side as one resource',
    schema: MANIFESTS_SCHEMA,
    forceReplace: [],
    attributes: ['objects'],
    marksOwnership: true,
    async read(desired, ctx) {
      const members = await membersOf(desired, ctx);
      const existing = await labelled({ address: desired.address, stack: desired.stack ?? '' }, ctx.signal);
      const liveObjects: Record<string, JsonObject> = {};
      const planned: Record<string, JsonObject> = {};
      let owner: LiveState['owner'];
      for (const member of members) {
        if (member.resource === undefined) {
          planned[member.key] = trimObject(member.manifest, member.kind);
          continue;
        }
        const current = existing.get(member.key)?.object ?? (await request(member, member.resource, 'GET', { signal: ctx.signal }));
        if (current !== undefined) {
          liveObjects[member.key] = trimObject(current, member.kind);
          owner ??= ownerOf(current);
        }
        const canDryRun = member.namespace === undefined || (await runtime().namespaceExists(member.namespace, ctx.signal));
        const result = canDryRun ? await request(member, member.resource, 'PATCH', { dryRun: true, signal: ctx.signal, location: desired.origin }) : undefined;
        planned[member.key] = trimObject(result ?? member.manifest, member.kind);
      }
      for (const [key, { object }] of existing) {
        if (liveObjects[key] === undefined) {
          liveObjects[key] = trimObject(object, text(object['kind']));
          owner ??= ownerOf(object);
        }
      }
      if (Object.keys(liveObjects).length === 0) return undefined;
      const live: LiveState = {
        identity: desired.address,
        properties: { objects: liveObjects },
        attributes: { objects: Object.keys(liveObjects).sort() },
        ...(owner === undefined ? {} : { owner }),
      };
      PLANNED.set(live, { objects: planned });
      return live;
    },
    diff(_desired, live) {
      const planned = PLANNED.get(live);
      const diffs: FieldDiff[] = [];
      if (planned !== undefined) compareValues(live.properties, planned, '', diffs);
      return diffs;
    },
    plannedAttributes: () => ({}),
    async create(desired, ctx) {
      return applyAll(desired, undefined, ctx);
    },
    async update(desired, live, _diff, ctx) {
      return applyAll(desired, live, ctx);
    },
    async delete(live, ctx) {
      const keys = Object.keys(isPlainObject(live.properties['objects']) ? live.properties['objects'] : {});
      await deleteKeys(keys, ctx);
    },
  };

  const applyAll = async (desired: DesiredResource, before: LiveState | undefined, ctx: ProviderContext): Promise<LiveState> => {
    const members = await membersOf(desired, ctx);
    const objects: Record<string, JsonObject> = {};
    for (const member of members) {
      const resource = member.resource ?? (await runtime().discovery.require(member.apiVersion, member.kind, ctx.signal));
      const stored = await request({ ...member, resource }, resource, 'PATCH', { signal: ctx.signal, location: desired.origin });
      if (stored !== undefined) objects[member.key] = trimObject(stored, member.kind);
      if (member.kind === 'CustomResourceDefinition') await waitEstablished({ ...member, resource }, resource, ctx);
    }
    const stale = Object.keys(before !== undefined && isPlainObject(before.properties['objects']) ? before.properties['objects'] : {}).filter((key) => objects[key] === undefined);
    await deleteKeys(stale, ctx);
    return { identity: desired.address, properties: { objects }, attributes: { objects: Object.keys(objects).sort() }, owner: { stack: desired.stack ?? '', address: desired.address } };
  };

  const deleteKeys = async (keys: readonly string[], ctx: ProviderContext): Promise<void> => {
    const parsed = keys.map(parseKey).sort((a, b) => rank(b.kind) - rank(a.kind));
    for (const key of parsed) {
      const resource = await runtime().discovery.find(key.apiVersion, key.kind, ctx.signal);
      if (resource === undefined) continue;
      await request({ key: '', resource, apiVersion: key.apiVersion, kind: key.kind, namespace: key.namespace, name: key.name, manifest: {} }, resource, 'DELETE', { signal: ctx.signal });
    }
  };

  const waitEstablished = async (member: Member, resource: ApiResource, ctx: ProviderContext): Promise<void> => {
    for (let i = 0; i < 300; i++) {
      const current = await request(member, resource, 'GET', { signal: ctx.signal });
      const conditions = (current?.['status'] as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new ProviderError('RS_KUBE_E0009', `Timed out waiting for CustomResourceDefinition "${member.name}" to be established`);
  };

  return handler;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// Namespaces first, then CRDs, then the rest; deletion runs the other way.
function rank(kind: string): number {
  return kind === 'Namespace' ? 0 : kind === 'CustomResourceDefinition' ? 1 : 2;
}

function parseKey(key: string): { apiVersion: string; kind: string; namespace: string | undefined; name: string } {
  const [apiVersion = '', kind = '', rest = ''] = key.split(':');
  const slash = rest.indexOf('/');
  return { apiVersion, kind, namespace: slash === -1 ? undefined : rest.slice(0, slash), name: slash === -1 ? rest : rest.slice(slash + 1) };
}

function ownerOf(object: JsonObject): LiveState['owner'] {
  const metadata = isPlainObject(object['metadata']) ? object['metadata'] : {};
  const annotations = isPlainObject(metadata['annotations']) ? metadata['annotations'] : {};
  const stack = annotations[STACK_ANNOTATION];
  const address = annotations[ADDRESS_ANNOTATION];
  return typeof stack === 'string' && typeof address === 'string' ? { stack, address } : undefined;
}

/**
 * Reads every document of a YAML file, or of each `*.yaml` / `*.yml` file of a directory in
 * name order. Empty documents are skipped; `List` objects are expanded.
 *
 * Throws `ConfigError` `RS_KUBE_E0010` for a missing path, invalid YAML, or a document without
 * `apiVersion`, `kind` and `metadata.name`.
 */
export async function loadManifests(target: string, location: SourceLocation | undefined): Promise<JsonObject[]> {
  const at = location === undefined ? {} : { location };
  let files: string[];
  try {
    files = (await stat(target)).isDirectory()
      ? (await readdir(target)).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(target, f))
      : [target];
  } catch (error) {
    throw new ConfigError('RS_KUBE_E0010', `Cannot read manifests "${target}": ${(error as Error).message}`, { ...at, cause: error });
  }
  const out: JsonObject[] = [];
  for (const file of files) {
    const docs = parseAllDocuments(await readFile(file, 'utf8'));
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc.errors.length > 0) throw new ConfigError('RS_KUBE_E0010', `Cannot parse manifests "${file}": ${doc.errors[0]?.message ?? ''}`, at);
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) continue;
      const items = isPlainObject(value) && typeof value['kind'] === 'string' && value['kind'].endsWith('List') && Array.isArray(value['items']) ? (value['items'] as unknown[]) : [value];
      for (const item of items) {
        const metadata = isPlainObject(item) && isPlainObject(item['metadata']) ? item['metadata'] : {};
        if (!isPlainObject(item) || typeof item['apiVersion'] !== 'string' || typeof item['kind'] !== 'string' || typeof metadata['name'] !== 'string') {
          throw new ConfigError('RS_KUBE_E0010', `Cannot use a document in "${file}": expected apiVersion, kind and metadata.name`, at);
        }
        out.push(item as JsonObject);
      }
    }
  }
  return out;
}

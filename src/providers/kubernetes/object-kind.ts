import { createHash } from 'node:crypto';
import { ProviderError } from '../../core/errors.ts';
import { isPlainObject, jsonEqual, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { SourceLocation } from '../../core/location.ts';
import type { DesiredResource, FieldDiff, KindHandler, LiveState, ProviderContext } from '../contract.ts';
import type { KubeClient} from './client.ts';
import { FIELD_MANAGER, KubeStatusError, translateKubeError } from './client.ts';
import { Discovery, type ApiResource } from './discovery.ts';
import { observedObject } from './live-index.ts';
import { ADDRESS_ANNOTATION, MANAGED_BY_LABEL, STACK_ANNOTATION, STACK_LABEL, stackLabelValue } from './ownership.ts';
import { WAIT_SCHEMA, WAITABLE, waitTimeoutMs, waitUntilReady } from './readiness.ts';

/** The kind prefix: `kubernetes:apps/v1:Deployment`. */
export const KIND_PREFIX = 'kubernetes:';

/** Splits `kubernetes:apps/v1:Deployment` into `apps/v1` and `Deployment`, or `undefined`. */
export function parseKind(kind: string): { readonly apiVersion: string; readonly kind: string } | undefined {
  const match = /^kubernetes:([a-z0-9.-]+\/)?(v[0-9]+[a-z0-9]*):([A-Z][A-Za-z0-9]*)$/.exec(kind);
  if (match === null) return undefined;
  return { apiVersion: `${match[1] ?? ''}${match[2] ?? ''}`, kind: match[3] ?? '' };
}

/** Properties of any Kubernetes kind: the manifest without `apiVersion` and `kind`. */
export const OBJECT_SCHEMA = {
  type: 'object',
  description: "The manifest's fields other than apiVersion and kind: metadata, spec, data, ... (validated by the API server at preview)",
  properties: {
    metadata: {
      type: 'object',
      description: 'name defaults to the resource name; namespace (namespaced kinds) to the provider namespace',
      properties: {
        name: { type: 'string', minLength: 1 },
        namespace: { type: 'string', minLength: 1 },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    wait: WAIT_SCHEMA,
    force: { type: 'boolean', description: 'Take over fields another field manager owns (default true); false stops with RS_KUBE_E0003 naming the manager' },
  },
  not: { anyOf: [{ required: ['apiVersion'] }, { required: ['kind'] }, { required: ['status'] }] },
} as const satisfies JsonObject;

/** What a handler needs from its provider instance. */
export interface KubeRuntime {
  readonly client: KubeClient;
  readonly discovery: Discovery;
  /** The default namespace (provider config, else the kubeconfig context's). */
  namespace(): Promise<string>;
  /** Whether a namespace exists, asked once per provider instance (for previews only). */
  namespaceExists(name: string, signal: AbortSignal): Promise<boolean>;
}

// What a read saw beyond LiveState: the server's dry-run result and the field managers.
interface ReadExtras {
  readonly planned: JsonObject | undefined;
  readonly managedFields: readonly ManagedFieldsEntry[];
}
interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly fieldsV1?: Record<string, unknown>;
}
const EXTRAS = new WeakMap<LiveState, ReadExtras>();

const VOLATILE_METADATA = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** Which object a resource is: its discovery entry, namespace and name. */
interface Target {
  readonly resource: ApiResource;
  readonly namespace: string | undefined;
  readonly name: string;
}

/**
 * The handler of one Kubernetes kind. Every kind works the same way: server-side apply with
 * field manager `runestone`, a dry-run apply at preview so the diff is what the server would
 * store (defaults and admission included), ownership labels and annotations, delete by name.
 */
export function createObjectKind(kindName: string, runtime: () => KubeRuntime): KindHandler {
  const parsed = parseKind(kindName);
  const apiVersion = parsed?.apiVersion ?? '';
  const kind = parsed?.kind ?? '';
  const what = (target: { namespace: string | undefined; name: string }): string => `${apiVersion} ${kind} "${target.namespace === undefined ? '' : `${target.namespace}/`}${target.name}"`;

  const locate = async (desired: DesiredResource, resource: ApiResource): Promise<Target> => {
    const metadata = isPlainObject(desired.properties['metadata']) ? desired.properties['metadata'] : {};
    const name = typeof metadata['name'] === 'string' ? metadata['name'] : desired.name;
    const namespace = resource.namespaced ? (typeof metadata['namespace'] === 'string' ? metadata['namespace'] : await runtime().namespace()) : undefined;
    return { resource, namespace, name };
  };

  const manifestOf = (desired: DesiredResource, target: Target): JsonObject => {
    const metadata = isPlainObject(desired.properties['metadata']) ? desired.properties['metadata'] : {};
    const labels = isPlainObject(metadata['labels']) ? metadata['labels'] : {};
    const annotations = isPlainObject(metadata['annotations']) ? metadata['annotations'] : {};
    const stack = desired.stack ?? '';
    const fields = manifestFields(desired.properties);
    return {
      apiVersion,
      kind,
      ...fields,
      metadata: {
        ...metadata,
        name: target.name,
        ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
        labels: { ...labels, [MANAGED_BY_LABEL]: 'runestone', [STACK_LABEL]: stackLabelValue(stack) } as JsonObject,
        annotations: { ...annotations, [STACK_ANNOTATION]: stack, [ADDRESS_ANNOTATION]: desired.address } as JsonObject,
      },
    };
  };

  const apply = async (
    manifest: JsonObject,
    target: Target,
    options: { readonly dryRun: boolean; readonly force: boolean; readonly signal: AbortSignal; readonly where: Where },
  ): Promise<JsonObject> => {
    const query: Record<string, string> = { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', ...(options.force ? { force: 'true' } : {}) };
    if (options.dryRun) query['dryRun'] = 'All';
    try {
      return (await runtime().client.request(
        { method: 'PATCH', path: objectPath(target), query, body: manifest, contentType: 'application/apply-patch+yaml' },
        { signal: options.signal },
      )) as JsonObject;
    } catch (error) {
      throw translateKubeError(error, { action: `${options.dryRun ? 'preview (server-side dry run) ' : ''}apply ${what(target)}`, ...options.where });
    }
  };

  const handler: KindHandler = {
    kind: kindName,
    description: `Kubernetes ${kind} (${apiVersion}) through server-side apply`,
    schema: OBJECT_SCHEMA,
    forceReplace: [],
    attributes: ['name', 'namespace', 'uid', 'identity', 'api_version', 'kind'],
    marksOwnership: true,
    async read(desired, ctx) {
      const where = whereOf(desired);
      const location = where.location;
      const resource = await runtime().discovery.find(apiVersion, kind, ctx.signal);
      if (resource === undefined) {
        // A custom resource whose CRD is created earlier in the same commit: say so, in case
        // it is a typo rather than a CRD to come.
        if (ctx.dryRun) {
          ctx.output(`${kind} in ${apiVersion} is not served by the API server yet: planned as a creation, which fails unless a CRD applied before it serves the kind`, 'stderr');
          return undefined;
        }
        throw new ProviderError('RS_KUBE_E0005', `Cannot manage "${desired.address}": the API server does not serve ${kind} in ${apiVersion}`, location === undefined ? {} : { location });
      }
      const target = await locate(desired, resource);
      const current =
        ctx.observation === undefined
          ? await get(target, ctx.signal)
          : await observedObject(runtime().client, ctx.observation, target, desired.stack ?? ctx.stack, ctx.signal, () => get(target, ctx.signal));
      const manifest = manifestOf(desired, target);
      if (current === undefined) {
        if (ctx.dryRun) await dryRunCreate(manifest, target, ctx.signal, where);
        return undefined;
      }
      const live = toLive(current, target);
      const planned = await apply(manifest, target, { dryRun: true, force: desired.properties['force'] !== false, signal: ctx.signal, where });
      EXTRAS.set(live, { planned: trimObject(planned, kind), managedFields: managedFieldsOf(current) });
      return live;
    },
    diff(desired, live) {
      const extras = EXTRAS.get(live);
      const diffs: FieldDiff[] = [];
      if (extras?.planned !== undefined) {
        compareValues(live.properties, extras.planned, '', diffs);
      } else {
        compareDesired(manifestFields(desired.properties), live.properties, '', diffs);
      }
      return diffs.map((d) => {
        const manager = extras === undefined ? undefined : otherManager(extras.managedFields, d.path);
        return manager === undefined ? d : { ...d, description: `${describe(d)}, last set by field manager "${manager}"` };
      });
    },
    plannedAttributes(desired) {
      const metadata = isPlainObject(desired.properties['metadata']) ? desired.properties['metadata'] : {};
      const name = typeof metadata['name'] === 'string' ? metadata['name'] : desired.name;
      return { name, api_version: apiVersion, kind, ...(typeof metadata['namespace'] === 'string' ? { namespace: metadata['namespace'] } : {}) };
    },
    async create(desired, ctx) {
      return applyForReal(desired, ctx);
    },
    async update(desired, _live, _diff, ctx) {
      return applyForReal(desired, ctx);
    },
    async delete(live, ctx) {
      const { namespace, name } = parseIdentity(live.identity);
      const resource = await runtime().discovery.find(apiVersion, kind, ctx.signal);
      if (resource === undefined) return;
      const target = { resource, namespace, name };
      try {
        await runtime().client.request({ method: 'DELETE', path: objectPath(target), query: { propagationPolicy: 'Background' } }, { signal: ctx.signal, allowNotFound: true });
      } catch (error) {
        throw translateKubeError(error, { action: `delete ${what(target)}` });
      }
    },
  };

  const get = async (target: Target, signal: AbortSignal): Promise<JsonObject | undefined> => {
    try {
      return (await runtime().client.request({ method: 'GET', path: objectPath(target) }, { signal, allowNotFound: true })) as JsonObject | undefined;
    } catch (error) {
      throw translateKubeError(error, { action: `read ${what(target)}` });
    }
  };

  // A new object is still sent as a dry run at preview, so the server's validation and
  // admission errors show there. In a namespace the same commit creates it cannot be: the
  // server answers "namespace not found", and only after NamespaceLifecycle admission has
  // waited 50 ms for its cache, so such objects are not sent at all.
  const dryRunCreate = async (manifest: JsonObject, target: Target, signal: AbortSignal, where: Where): Promise<void> => {
    if (target.namespace !== undefined && !(await runtime().namespaceExists(target.namespace, signal))) return;
    try {
      await runtime().client.request(
        { method: 'PATCH', path: objectPath(target), query: { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', force: 'true', dryRun: 'All' }, body: manifest, contentType: 'application/apply-patch+yaml' },
        { signal },
      );
    } catch (error) {
      if (error instanceof KubeStatusError && error.status === 404) return;
      throw translateKubeError(error, { action: `preview (server-side dry run) apply ${what(target)}`, ...where });
    }
  };

  const applyForReal = async (desired: DesiredResource, ctx: ProviderContext): Promise<LiveState> => {
    const where = whereOf(desired);
    const resource = await runtime().discovery.require(apiVersion, kind, ctx.signal);
    const target = await locate(desired, resource);
    const stored = await apply(manifestOf(desired, target), target, { dryRun: false, force: desired.properties['force'] !== false, signal: ctx.signal, where });
    if (apiVersion === 'apiextensions.k8s.io/v1' && kind === 'CustomResourceDefinition') await waitEstablished(target, ctx);
    const timeoutMs = waitTimeoutMs(desired.properties['wait']);
    if (timeoutMs !== undefined && WAITABLE.has(`${apiVersion}:${kind}`)) {
      await waitUntilReady({
        what: `${kind} "${target.name}"${kind === 'Job' ? ' completion' : ' rollout'}`,
        kind,
        timeoutMs,
        read: () => get(target, ctx.signal),
        output: (line) => {
          ctx.output(line);
        },
        signal: ctx.signal,
      });
    }
    return toLive(stored, target);
  };

  // Custom resources can be applied only once their CRD is Established (about a second).
  const waitEstablished = async (target: Target, ctx: ProviderContext): Promise<void> => {
    for (let i = 0; i < 300; i++) {
      const current = await get(target, ctx.signal);
      const conditions = (current?.['status'] as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
      if (i === 0) ctx.output(`waiting for CustomResourceDefinition "${target.name}" to be established`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new ProviderError('RS_KUBE_E0009', `Timed out waiting for CustomResourceDefinition "${target.name}" to be established`);
  };

  return handler;
}

/** The REST path of one object. */
export function objectPath(target: { readonly resource: ApiResource; readonly namespace: string | undefined; readonly name: string }): string {
  const ns = target.namespace === undefined ? '' : `/namespaces/${encodeURIComponent(target.namespace)}`;
  return `${Discovery.prefix(target.resource.apiVersion)}${ns}/${target.resource.plural}/${encodeURIComponent(target.name)}`;
}

/** `apps/v1:Deployment:shop/web`, or `v1:Namespace:shop` for cluster-scoped objects. */
export function identityOf(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${apiVersion}:${kind}:${namespace === undefined ? '' : `${namespace}/`}${name}`;
}

function parseIdentity(identity: string): { namespace: string | undefined; name: string } {
  const last = identity.slice(identity.lastIndexOf(':') + 1);
  const slash = last.indexOf('/');
  return slash === -1 ? { namespace: undefined, name: last } : { namespace: last.slice(0, slash), name: last.slice(slash + 1) };
}

/** The live state of a stored object: its manifest minus server-owned fields, plus its owner. */
export function toLive(object: JsonObject, target: { readonly resource: ApiResource; readonly namespace: string | undefined; readonly name: string }): LiveState {
  const { apiVersion, kind } = target.resource;
  const metadata = isPlainObject(object['metadata']) ? object['metadata'] : {};
  const annotations = isPlainObject(metadata['annotations']) ? metadata['annotations'] : {};
  const stack = annotations[STACK_ANNOTATION];
  const address = annotations[ADDRESS_ANNOTATION];
  const identity = identityOf(apiVersion, kind, target.namespace, target.name);
  return {
    identity,
    properties: trimObject(object, kind),
    attributes: {
      name: target.name,
      ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
      uid: typeof metadata['uid'] === 'string' ? metadata['uid'] : '',
      identity,
      api_version: apiVersion,
      kind,
    },
    ...(typeof stack === 'string' && typeof address === 'string' ? { owner: { stack, address } } : {}),
  };
}

/**
 * The manifest as properties: no apiVersion/kind/status, no server bookkeeping in metadata,
 * and a Secret's values replaced by digests so no secret reaches a diff, a log or the cache.
 */
export function trimObject(object: JsonObject, kind: string): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'status') continue;
    if (key === 'metadata' && isPlainObject(value)) {
      const metadata: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(value)) if (!VOLATILE_METADATA.includes(k)) metadata[k] = v;
      out[key] = metadata;
    } else if (kind === 'Secret' && (key === 'data' || key === 'stringData') && isPlainObject(value)) {
      const data: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(value)) data[k] = `(secret sha256:${createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 12)})`;
      out[key] = data;
    } else {
      out[key] = value;
    }
  }
  return out;
}

function managedFieldsOf(object: JsonObject): readonly ManagedFieldsEntry[] {
  const metadata = isPlainObject(object['metadata']) ? object['metadata'] : {};
  return Array.isArray(metadata['managedFields']) ? (metadata['managedFields'] as ManagedFieldsEntry[]) : [];
}

// The field manager other than runestone that owns the field at `pointer`, if any.
function otherManager(entries: readonly ManagedFieldsEntry[], pointer: string): string | undefined {
  const keys = pointer.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
  for (const entry of entries) {
    if (entry.manager === undefined || entry.manager === FIELD_MANAGER) continue;
    let node: unknown = entry.fieldsV1;
    let owned = true;
    for (const key of keys) {
      if (/^\d+$/.test(key)) break;
      const next = isPlainObject(node) ? node[`f:${key}`] : undefined;
      if (next === undefined) {
        owned = false;
        break;
      }
      node = next;
    }
    if (owned) return entry.manager;
  }
  return undefined;
}

/** Every leaf where live and planned differ, both ways; arrays of equal length element-wise. */
export function compareValues(before: JsonValue | undefined, after: JsonValue | undefined, path: string, out: FieldDiff[]): void {
  if (jsonEqual(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) compareValues(before[key], after[key], `${path}/${escape(key)}`, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    (before as JsonValue[]).forEach((item, i) => {
      compareValues(item, (after as JsonValue[])[i], `${path}/${i}`, out);
    });
    return;
  }
  out.push({ path: path === '' ? '/' : path, before, after, forcesReplace: false });
}

// Without a dry-run result (a saved plan): the fields config sets, compared with live.
function compareDesired(desired: JsonValue, live: JsonValue | undefined, path: string, out: FieldDiff[]): void {
  if (isPlainObject(desired) && isPlainObject(live)) {
    for (const [key, value] of Object.entries(desired)) compareDesired(value, live[key], `${path}/${escape(key)}`, out);
    return;
  }
  if (!jsonEqual(desired, live)) out.push({ path, before: live, after: desired, forcesReplace: false });
}

// The properties that are manifest fields: all but Runestone's own `wait` and `force`.
function manifestFields(properties: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(properties).filter(([key]) => key !== 'wait' && key !== 'force'));
}

function escape(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

// The engine's drift wording (`spec.replicas is 5 (expected 2)`), plus who changed it.
function describe(diff: FieldDiff): string {
  const label = diff.path.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~')).join('.');
  if (diff.after === undefined) return `${label} is ${JSON.stringify(diff.before)} (expected it to be absent)`;
  if (diff.before === undefined) return `${label} is not set (expected ${JSON.stringify(diff.after)})`;
  return `${label} is ${JSON.stringify(diff.before)} (expected ${JSON.stringify(diff.after)})`;
}

/** Where a resource is written, and where each of its manifest fields is. */
interface Where {
  readonly location: SourceLocation | undefined;
  readonly locate: ((pointer: string) => SourceLocation | undefined) | undefined;
}

// Manifest fields sit at the same pointers in properties (only apiVersion and kind are added).
function whereOf(desired: DesiredResource): Where {
  return { location: desired.origin, locate: desired.locate };
}

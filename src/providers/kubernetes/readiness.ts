import { ProviderError } from '../../core/errors.ts';
import { isPlainObject, type JsonObject } from '../../core/json.ts';

/** What a readiness check found: ready, still waiting (with a progress line), or failed. */
export type Readiness =
  | { readonly kind: 'ready' }
  | { readonly kind: 'waiting'; readonly progress: string }
  | { readonly kind: 'failed'; readonly reason: string };

/** The `wait` property: `true`, or `{ timeout: "5m" }`. */
export const WAIT_SCHEMA = {
  description: 'Wait after apply until the object is ready (Deployment, StatefulSet, DaemonSet rollout; Job completion): true, or { timeout: 5m } (default 5m)',
  oneOf: [
    { type: 'boolean' },
    { type: 'object', additionalProperties: false, properties: { timeout: { type: 'string', pattern: '^[0-9]+(ms|s|m|h)$' } } },
  ],
} as const satisfies JsonObject;

/** The kinds a `wait` means something for, by `apiVersion:Kind`. */
export const WAITABLE = new Set(['apps/v1:Deployment', 'apps/v1:StatefulSet', 'apps/v1:DaemonSet', 'batch/v1:Job']);

/** Milliseconds from a `wait` value, or `undefined` for no wait. Default 5 minutes. */
export function waitTimeoutMs(wait: unknown): number | undefined {
  if (wait === true) return 5 * 60_000;
  if (!isPlainObject(wait)) return undefined;
  const match = typeof wait['timeout'] === 'string' ? /^(\d+)(ms|s|m|h)$/.exec(wait['timeout']) : null;
  if (match === null) return 5 * 60_000;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

/** Judges a stored object of a waitable kind from its spec and status, as kubectl rollout status does. */
export function readinessOf(kind: string, object: JsonObject): Readiness {
  const num = (value: unknown, fallback = 0): number => (typeof value === 'number' ? value : fallback);
  const metadata = isPlainObject(object['metadata']) ? object['metadata'] : {};
  const spec = isPlainObject(object['spec']) ? object['spec'] : {};
  const status = isPlainObject(object['status']) ? object['status'] : {};
  const observed = num(status['observedGeneration'], -1) >= num(metadata['generation']);
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const want = num(spec['replicas'], 1);
      const updated = num(status[kind === 'Deployment' ? 'updatedReplicas' : 'updatedReplicas']);
      const available = num(status[kind === 'Deployment' ? 'availableReplicas' : 'readyReplicas']);
      if (observed && updated >= want && available >= want) return { kind: 'ready' };
      return { kind: 'waiting', progress: `${available}/${want} replicas ${kind === 'Deployment' ? 'available' : 'ready'}, ${updated} updated` };
    }
    case 'DaemonSet': {
      const want = num(status['desiredNumberScheduled']);
      const ready = num(status['numberReady']);
      if (observed && num(status['updatedNumberScheduled']) >= want && ready >= want) return { kind: 'ready' };
      return { kind: 'waiting', progress: `${ready}/${want} pods ready` };
    }
    case 'Job': {
      const conditions = Array.isArray(status['conditions']) ? (status['conditions'] as { type?: unknown; status?: unknown; message?: unknown }[]) : [];
      if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { kind: 'ready' };
      const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
      if (failed !== undefined) return { kind: 'failed', reason: typeof failed.message === 'string' ? failed.message : 'the Job failed' };
      return { kind: 'waiting', progress: `${num(status['succeeded'])} succeeded, ${num(status['active'])} active, ${num(status['failed'])} failed` };
    }
    default:
      return { kind: 'ready' };
  }
}

/**
 * Polls `read` until the object is ready, printing progress when it changes. Throws
 * `RS_KUBE_E0009` after `timeoutMs` and `RS_KUBE_E0011` when the object failed (a Job).
 */
export async function waitUntilReady(options: {
  readonly what: string;
  readonly kind: string;
  readonly timeoutMs: number;
  readonly read: () => Promise<JsonObject | undefined>;
  readonly output: (line: string) => void;
  readonly signal: AbortSignal;
  readonly intervalMs?: number;
}): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    const object = await options.read();
    const state = object === undefined ? ({ kind: 'waiting', progress: 'not found' } as const) : readinessOf(options.kind, object);
    if (state.kind === 'ready') return;
    if (state.kind === 'failed') throw new ProviderError('RS_KUBE_E0011', `${options.what} failed: ${state.reason}`);
    if (state.progress !== last) options.output(`waiting for ${options.what}: ${state.progress}`);
    last = state.progress;
    if (Date.now() >= deadline) {
      throw new ProviderError('RS_KUBE_E0009', `Timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${options.what} to be ready: ${state.progress}`);
    }
    options.signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 500, Math.max(0, deadline - Date.now()))));
  }
}

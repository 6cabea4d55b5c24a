import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { JsonObject } from '../../core/json.ts';
import { ProviderError } from '../../core/errors.ts';

/** JSON Schema of a `providers.kubernetes` block (and of aliases such as `kubernetes.staging`). */
export const KUBE_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kubeconfig: { type: 'string', description: 'Path of the kubeconfig file (default: KUBECONFIG, else ~/.kube/config; in a pod, the service account)' },
    context: { type: 'string', description: 'Context in the kubeconfig (default: its current-context)' },
    namespace: { type: 'string', description: "Namespace for namespaced objects that name none (default: the context's, else default)" },
  },
} as const satisfies JsonObject;

/** How to reach one API server, read from a kubeconfig or the pod's service account. */
export interface KubeConnection {
  readonly server: string;
  readonly ca?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** Bearer token; never printed. */
  readonly token?: string;
  readonly insecure: boolean;
  readonly namespace: string;
  /** `kubeconfig context "x"` or `in-cluster service account`, for messages. */
  readonly source: string;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Reads the connection for a validated `providers.kubernetes` block: the kubeconfig named
 * there, else the first file in `KUBECONFIG`, else `~/.kube/config`, else the in-cluster
 * service account when `KUBERNETES_SERVICE_HOST` is set.
 *
 * Throws `ProviderError` `RS_KUBE_E0008` when the file, context, cluster or user is missing.
 */
export async function loadConnection(config: JsonObject, env: Readonly<Record<string, string | undefined>>): Promise<KubeConnection> {
  const given = typeof config['kubeconfig'] === 'string' ? config['kubeconfig'] : undefined;
  const fromEnv = env['KUBECONFIG']?.split(path.delimiter).find((p) => p !== '');
  const file = given ?? fromEnv ?? path.join(os.homedir(), '.kube', 'config');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (given === undefined && fromEnv === undefined && env['KUBERNETES_SERVICE_HOST'] !== undefined) return inCluster(config, env);
    throw new ProviderError('RS_KUBE_E0008', `Cannot read kubeconfig "${file}": ${(error as Error).message}`, { cause: error });
  }
  return fromKubeconfig(parse(text) as unknown, { file, config });
}

async function inCluster(config: JsonObject, env: Readonly<Record<string, string | undefined>>): Promise<KubeConnection> {
  const host = env['KUBERNETES_SERVICE_HOST'] ?? '';
  const port = env['KUBERNETES_SERVICE_PORT'] ?? '443';
  const read = (name: string): Promise<string> => readFile(path.join(SERVICE_ACCOUNT, name), 'utf8');
  const namespace = typeof config['namespace'] === 'string' ? config['namespace'] : (await read('namespace').catch(() => 'default')).trim();
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: await read('ca.crt'),
    token: (await read('token')).trim(),
    insecure: false,
    namespace,
    source: 'in-cluster service account',
  };
}

type Named = { name?: unknown } & Record<string, unknown>;

async function fromKubeconfig(doc: unknown, options: { readonly file: string; readonly config: JsonObject }): Promise<KubeConnection> {
  const { file, config } = options;
  const fail = (detail: string): never => {
    throw new ProviderError('RS_KUBE_E0008', `Cannot use kubeconfig "${file}": ${detail}`);
  };
  const root = (doc ?? {}) as Record<string, unknown>;
  const list = (key: string): Named[] => (Array.isArray(root[key]) ? (root[key] as Named[]) : []);
  const contextName = typeof config['context'] === 'string' ? config['context'] : typeof root['current-context'] === 'string' ? root['current-context'] : fail('no context given and no current-context');
  const find = (key: string, name: unknown, what: string): Record<string, unknown> => {
    const entry = list(key).find((e) => e.name === name);
    const body = entry?.[what];
    return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : fail(`no ${what} named "${String(name)}"`);
  };
  const context = find('contexts', contextName, 'context');
  const cluster = find('clusters', context['cluster'], 'cluster');
  const user = list('users').find((e) => e.name === context['user'])?.['user'] as Record<string, unknown> | undefined;
  const base = path.dirname(file);
  const material = async (data: unknown, ref: unknown): Promise<Buffer | undefined> => {
    if (typeof data === 'string') return Buffer.from(data, 'base64');
    if (typeof ref === 'string') return readFile(path.resolve(base, ref));
    return undefined;
  };
  const server = typeof cluster['server'] === 'string' ? cluster['server'] : fail(`cluster "${String(context['cluster'])}" has no server`);
  const token = typeof user?.['token'] === 'string' ? user['token'] : typeof user?.['tokenFile'] === 'string' ? (await readFile(path.resolve(base, user['tokenFile']), 'utf8')).trim() : undefined;
  const ca = await material(cluster['certificate-authority-data'], cluster['certificate-authority']);
  const cert = await material(user?.['client-certificate-data'], user?.['client-certificate']);
  const key = await material(user?.['client-key-data'], user?.['client-key']);
  const namespace = typeof config['namespace'] === 'string' ? config['namespace'] : typeof context['namespace'] === 'string' ? context['namespace'] : 'default';
  return {
    server: server.replace(/\/+$/, ''),
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(token === undefined ? {} : { token }),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    namespace,
    source: `kubeconfig "${file}" context "${contextName}"`,
  };
}

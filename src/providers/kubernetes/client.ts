import http from 'node:http';
import https from 'node:https';
import { ProviderError } from '../../core/errors.ts';
import type { SourceLocation } from '../../core/location.ts';
import type { KubeConnection } from './config.ts';
import { fieldPointer } from './field-path.ts';

/** The field manager every apply uses; drift and conflicts are judged against it. */
export const FIELD_MANAGER = 'runestone';

/** A request to the API server. `body` is sent as JSON (valid YAML for apply patches). */
export interface KubeRequest {
  readonly method: 'GET' | 'PATCH' | 'DELETE' | 'POST';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly contentType?: string;
  /** The `Accept` header; default `application/json`. */
  readonly accept?: string;
}

/** What failed, for the error message: `apply apps/v1 Deployment "shop/web"`. */
export interface RequestContext {
  readonly action: string;
  readonly location?: SourceLocation | undefined;
  /** Where a manifest field (a JSON pointer) is written, for errors the server ties to one field. */
  readonly locate?: ((pointer: string) => SourceLocation | undefined) | undefined;
}

/** A non-2xx answer, before translation. */
export class KubeStatusError extends Error {
  readonly status: number;
  readonly body: KubeStatus;
  constructor(status: number, body: KubeStatus) {
    super(body.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** The `Status` object the API server answers errors with. */
export interface KubeStatus {
  readonly reason?: string;
  readonly message?: string;
  readonly details?: { readonly causes?: readonly { readonly field?: string; readonly message?: string; readonly reason?: string }[]; readonly kind?: string; readonly name?: string };
}

/**
 * A small HTTPS client for the Kubernetes API over `node:https`: the kubeconfig's CA,
 * client certificate or bearer token, keep-alive. The connection is loaded on first use.
 */
export class KubeClient {
  readonly #load: () => Promise<KubeConnection>;
  #connection: Promise<KubeConnection> | undefined;
  #agent: https.Agent | http.Agent | undefined;

  constructor(load: () => Promise<KubeConnection>) {
    this.#load = load;
  }

  /** The connection (kubeconfig read once). */
  connection(): Promise<KubeConnection> {
    this.#connection ??= this.#load();
    return this.#connection;
  }

  /** Sends a request; resolves the parsed JSON body (undefined on 404 when `allowNotFound`). */
  async request(request: KubeRequest, options: { readonly signal: AbortSignal; readonly allowNotFound?: boolean }): Promise<unknown> {
    const connection = await this.connection();
    const url = new URL(connection.server + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    const secure = url.protocol === 'https:';
    this.#agent ??= secure
      ? new https.Agent({
          keepAlive: true,
          maxSockets: 16,
          rejectUnauthorized: !connection.insecure,
          ...(connection.ca === undefined ? {} : { ca: connection.ca }),
          ...(connection.cert === undefined ? {} : { cert: connection.cert }),
          ...(connection.key === undefined ? {} : { key: connection.key }),
        })
      : new http.Agent({ keepAlive: true, maxSockets: 16 });
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { accept: request.accept ?? 'application/json' };
    if (connection.token !== undefined) headers['authorization'] = `Bearer ${connection.token}`;
    if (payload !== undefined) {
      headers['content-type'] = request.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const send = secure ? https.request : http.request;
      const req = send(url, { method: request.method, headers, agent: this.#agent, signal: options.signal }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
    const body = text === '' ? undefined : parseJson(text);
    if (status >= 200 && status < 300) return body;
    if (status === 404 && options.allowNotFound === true) return undefined;
    throw new KubeStatusError(status, (body ?? { message: text }));
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.#agent?.destroy();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { message: text.slice(0, 500) };
  }
}

/**
 * Translates a failed request into a `ProviderError` with a stable code: 401 credentials,
 * 403 forbidden, 409 apply conflict (naming the other managers), 422 invalid (each field
 * the server named), network errors and 429/5xx retryable. `context.location` points at the
 * YAML; for 400, 409 and 422 the first field the server named that `context.locate` finds wins.
 */
export function translateKubeError(error: unknown, context: RequestContext): ProviderError {
  if (error instanceof ProviderError) return error;
  let location = context.location === undefined ? {} : { location: context.location };
  if (error instanceof KubeStatusError) {
    const { status, body } = error;
    // Strict field validation names unknown fields only in the message, and server-side apply
    // answers them with a 500 ("failed to create typed patch object") although retrying cannot help.
    const unknown = [...(body.message ?? '').matchAll(/(\.[^\s:,]+): field not declared in schema/g)].map((m) => ({ field: m[1] }));
    if ((status === 409 || status === 422 || status === 400 || unknown.length > 0) && context.locate !== undefined) {
      for (const cause of [...(body.details?.causes ?? []), ...unknown]) {
        const pointer = cause.field === undefined ? undefined : fieldPointer(cause.field);
        const at = pointer === undefined ? undefined : context.locate(pointer);
        if (at !== undefined) {
          location = { location: at };
          break;
        }
      }
    }
    const causes = (body.details?.causes ?? []).map((c) => (c.field === undefined || c.field === '' ? (c.message ?? '') : `${c.field}: ${c.message ?? c.reason ?? ''}`));
    const detail = causes.length > 0 ? causes.join('; ') : (body.message ?? `HTTP ${status}`);
    if (status === 401) return new ProviderError('RS_KUBE_E0001', `Cannot ${context.action}: the API server rejected the credentials (401 Unauthorized)`, { cause: error, ...location });
    if (status === 403) return new ProviderError('RS_KUBE_E0002', `Cannot ${context.action}: forbidden: ${body.message ?? ''}`, { cause: error, ...location });
    if (status === 409 && body.reason === 'Conflict' && causes.length > 0) {
      return new ProviderError('RS_KUBE_E0003', `Cannot ${context.action}: fields are owned by another field manager: ${detail}`, {
        cause: error,
        hint: 'Set force: true (the default) on the resource to take the fields over, or stop setting them in config',
        ...location,
      });
    }
    if (status === 422 || status === 400 || unknown.length > 0) return new ProviderError('RS_KUBE_E0004', `Cannot ${context.action}: ${detail}`, { cause: error, ...location });
    // A namespace the same commit creates may not be there yet when nothing orders them.
    if (status === 404 && body.details?.kind === 'namespaces') {
      return new ProviderError('RS_KUBE_E0007', `Cannot ${context.action}: ${body.message ?? 'the namespace does not exist'}`, { cause: error, retryable: true, ...location });
    }
    if (status === 429 || status >= 500) return new ProviderError('RS_KUBE_E0007', `Cannot ${context.action}: the API server answered ${status}: ${detail}`, { cause: error, retryable: true, ...location });
    return new ProviderError('RS_KUBE_E0007', `Cannot ${context.action}: ${status} ${body.reason ?? ''}: ${detail}`, { cause: error, ...location });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) {
    return new ProviderError('RS_KUBE_E0006', `Cannot ${context.action}: the API server did not answer (${code})`, { cause: error, retryable: true, ...location });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError('RS_KUBE_E0007', `Cannot ${context.action}: ${message}`, { cause: error, ...location });
}

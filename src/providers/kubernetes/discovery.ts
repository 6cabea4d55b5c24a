import { ProviderError } from '../../core/errors.ts';
import type { KubeClient} from './client.ts';
import { translateKubeError } from './client.ts';

/** One API resource the server serves, as discovery describes it. */
export interface ApiResource {
  readonly apiVersion: string;
  readonly kind: string;
  /** The plural URL segment: `deployments`. */
  readonly plural: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

interface ResourceList {
  readonly resources?: readonly { readonly name: string; readonly kind: string; readonly namespaced: boolean; readonly verbs?: readonly string[] }[];
}

/**
 * The cluster's discovery documents, fetched per group version on first use and fetched
 * again when a kind is missing (a CRD created earlier in the same run adds kinds).
 */
export class Discovery {
  readonly #client: KubeClient;
  readonly #lists = new Map<string, Promise<readonly ApiResource[]>>();

  constructor(client: KubeClient) {
    this.#client = client;
  }

  /** The URL prefix of a group version: `/api/v1` or `/apis/apps/v1`. */
  static prefix(apiVersion: string): string {
    return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  }

  /**
   * Finds `kind` in `apiVersion`, or `undefined` when the server does not serve it (yet).
   * Throws a translated `ProviderError` when discovery itself fails.
   */
  async find(apiVersion: string, kind: string, signal: AbortSignal): Promise<ApiResource | undefined> {
    const match = (list: readonly ApiResource[]): ApiResource | undefined => list.find((r) => r.kind === kind);
    const cached = this.#lists.get(apiVersion);
    if (cached !== undefined) {
      const hit = match(await cached);
      if (hit !== undefined) return hit;
    }
    const fresh = this.#fetch(apiVersion, signal);
    this.#lists.set(apiVersion, fresh);
    // A failed fetch is not remembered: the next caller asks again.
    fresh.catch(() => {
      if (this.#lists.get(apiVersion) === fresh) this.#lists.delete(apiVersion);
    });
    return match(await fresh);
  }

  /** Like {@link find} but throws `RS_KUBE_E0005` when the kind is not served. */
  async require(apiVersion: string, kind: string, signal: AbortSignal): Promise<ApiResource> {
    const found = await this.find(apiVersion, kind, signal);
    if (found === undefined) {
      throw new ProviderError('RS_KUBE_E0005', `Cannot manage kind "${kind}" in "${apiVersion}": the API server does not serve it`, { retryable: true });
    }
    return found;
  }

  /** Every listable resource in the preferred version of every group (for discovery of owned objects). */
  async listable(signal: AbortSignal): Promise<readonly ApiResource[]> {
    const versions: string[] = ['v1'];
    const groups = (await this.#get('/apis', signal)) as { groups?: readonly { preferredVersion?: { groupVersion?: string } }[] } | undefined;
    for (const group of groups?.groups ?? []) if (group.preferredVersion?.groupVersion !== undefined) versions.push(group.preferredVersion.groupVersion);
    const lists = await Promise.all(versions.map((v) => this.#fetch(v, signal)));
    return lists.flat().filter((r) => r.verbs.includes('list') && r.verbs.includes('delete'));
  }

  async #fetch(apiVersion: string, signal: AbortSignal): Promise<readonly ApiResource[]> {
    const list = (await this.#get(Discovery.prefix(apiVersion), signal)) as ResourceList | undefined;
    return (list?.resources ?? [])
      .filter((r) => !r.name.includes('/'))
      .map((r) => ({ apiVersion, kind: r.kind, plural: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] }));
  }

  async #get(path: string, signal: AbortSignal): Promise<unknown> {
    try {
      return await this.#client.request({ method: 'GET', path }, { signal, allowNotFound: true });
    } catch (error) {
      throw translateKubeError(error, { action: `read the API discovery document ${path}` });
    }
  }
}

import { ProviderError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/json.ts';
import type { DesiredResource, KindHandler, LiveState, OwnedResource, Provider, ProviderContext } from '../../providers/contract.ts';
import type { ProviderType } from '../../providers/registry.ts';
import { systemSleep, type Now, type Sleep } from '../clock.ts';

/** The fake provider's only kind. Behaviour: see fake-provider.md. */
export const FAKE_KIND = 'fake:item';

/** A provider operation the fake records. */
export type FakeOp = 'read' | 'create' | 'update' | 'delete' | 'discover';

/** One recorded provider call. */
export interface FakeCall {
  readonly op: FakeOp;
  readonly address: string;
  /** Virtual time the call started. */
  readonly at: number;
}

/** A scripted failure for one address. */
export interface FakeFailure {
  /** Only this operation fails; all but `read`/`discover` when omitted. */
  readonly op?: FakeOp;
  /** How many calls fail before it succeeds; forever when omitted. */
  readonly times?: number;
  readonly retryable?: boolean;
  readonly message?: string;
}

/** A resource in the fake world. */
export interface FakeResource {
  readonly identity: string;
  properties: JsonObject;
  readonly owner: { readonly stack: string; readonly address: string };
}

/** Options for {@link FakeCloud}. */
export interface FakeCloudOptions {
  readonly now?: Now;
  readonly sleep?: Sleep;
}

const SCHEMA: JsonObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    value: { type: 'string' },
    mode: { type: 'string', default: '0644' },
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    region: { type: 'string' },
    note: { type: 'string' },
  },
};

/**
 * An in-memory, stateful cloud with one kind, `fake:item`, for engine tests. It keeps
 * resources by address with ownership markers, records every call in order, tracks how
 * many calls run at once, and can be told to fail, fail retryably N times, or be slow.
 */
export class FakeCloud {
  /** Live resources by address. */
  readonly resources = new Map<string, FakeResource>();
  /** Every call, in the order it started. */
  readonly calls: FakeCall[] = [];
  /** Most mutating calls (create/update/delete) in flight at once so far. */
  maxInFlight = 0;
  #inFlight = 0;
  #nextId = 1;
  readonly #failures = new Map<string, { failure: FakeFailure; remaining: number }>();
  readonly #delays = new Map<string, number>();
  readonly #now: Now;
  readonly #sleep: Sleep;

  constructor(options: FakeCloudOptions = {}) {
    this.#now = options.now ?? (() => 0);
    this.#sleep = options.sleep ?? systemSleep;
  }

  /** Makes calls on `address` fail as described. */
  fail(address: string, failure: FakeFailure = {}): void {
    this.#failures.set(address, { failure, remaining: failure.times ?? Number.POSITIVE_INFINITY });
  }

  /** Makes every mutating call on `address` take `ms` of (injected) time. */
  delay(address: string, ms: number): void {
    this.#delays.set(address, ms);
  }

  /** Puts a resource in the world as if a previous run had created it for `stack`. */
  seed(address: string, properties: JsonObject, stack = 'test/dev'): void {
    this.resources.set(address, { identity: `fake-${this.#nextId++}`, properties: { mode: '0644', ...properties }, owner: { stack, address } });
  }

  /** Changes live properties behind the engine's back (drift). */
  tamper(address: string, patch: JsonObject): void {
    const resource = this.resources.get(address);
    if (resource === undefined) throw new Error(`No fake resource "${address}"`);
    resource.properties = { ...resource.properties, ...patch };
  }

  /** Addresses of the calls of one operation, in start order. */
  order(op: FakeOp): string[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.address);
  }

  /** The provider type to register: `fake`, with the `fake:item` kind. */
  providerType(): ProviderType {
    const handler = this.#handler();
    const provider: Provider = {
      type: 'fake',
      kinds: new Map([[FAKE_KIND, handler]]),
      configSchema: { type: 'object' },
      check: () => Promise.resolve({ ok: true, summary: 'fake provider ready' }),
      discover: (ctx) => {
        this.calls.push({ op: 'discover', address: '', at: this.#now() });
        const owned: OwnedResource[] = [...this.resources.entries()]
          .filter(([, r]) => r.owner.stack === ctx.stack)
          .map(([address, r]) => ({ address, kind: FAKE_KIND, live: this.#live(r) }));
        return Promise.resolve(owned);
      },
    };
    return { type: 'fake', create: () => provider, kinds: [handler], configSchema: { type: 'object' } };
  }

  #handler(): KindHandler {
    return {
      kind: FAKE_KIND,
      description: 'An in-memory item for engine tests',
      schema: SCHEMA,
      forceReplace: ['region'],
      attributes: ['id', 'arn', 'value'],
      read: async (desired) => {
        await this.#call('read', desired.address);
        const resource = this.resources.get(desired.address);
        return resource === undefined ? undefined : this.#live(resource);
      },
      plannedAttributes: (desired) => ({ arn: arnOf(desired.address), ...(desired.properties['value'] === undefined ? {} : { value: desired.properties['value'] }) }),
      create: async (desired, ctx) => {
        await this.#call('create', desired.address, ctx);
        return this.#write(desired, ctx);
      },
      update: async (desired, _live, _diff, ctx) => {
        await this.#call('update', desired.address, ctx);
        return this.#write(desired, ctx);
      },
      delete: async (live, ctx) => {
        const address = live.owner?.address ?? live.identity;
        await this.#call('delete', address, ctx);
        this.resources.delete(address);
        ctx.output(`deleted ${address}`);
      },
    };
  }

  #write(desired: DesiredResource, ctx: ProviderContext): LiveState {
    const existing = this.resources.get(desired.address);
    const resource: FakeResource = {
      identity: existing?.identity ?? `fake-${this.#nextId++}`,
      properties: desired.properties,
      owner: { stack: ctx.stack, address: desired.address },
    };
    this.resources.set(desired.address, resource);
    ctx.output(`wrote ${desired.address} value=${JSON.stringify(desired.properties['value'] ?? null)}`);
    return this.#live(resource);
  }

  #live(resource: FakeResource): LiveState {
    const value = resource.properties['value'];
    return {
      identity: resource.identity,
      properties: structuredClone(resource.properties),
      attributes: { id: resource.identity, arn: arnOf(resource.owner.address), ...(value === undefined ? {} : { value }) },
      owner: resource.owner,
    };
  }

  // Records the call, applies scripted delay and failure. Mutating calls count as in flight.
  async #call(op: FakeOp, address: string, ctx?: ProviderContext): Promise<void> {
    this.calls.push({ op, address, at: this.#now() });
    const mutating = op === 'create' || op === 'update' || op === 'delete';
    if (mutating) {
      this.#inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    }
    try {
      const ms = this.#delays.get(address);
      if (mutating && ms !== undefined) await this.#sleep(ms, ctx?.signal);
      const scripted = this.#failures.get(address);
      const applies = scripted !== undefined && (scripted.failure.op === undefined ? mutating : scripted.failure.op === op);
      if (applies && scripted.remaining > 0) {
        scripted.remaining--;
        throw new ProviderError('RS_ENGINE_E0008', scripted.failure.message ?? `Cannot ${op} "${address}": scripted failure`, {
          retryable: scripted.failure.retryable ?? false,
        });
      }
    } finally {
      if (mutating) this.#inFlight--;
    }
  }
}

function arnOf(address: string): string {
  return `fake:::${address}`;
}

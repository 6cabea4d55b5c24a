import type { JsonObject } from '../core/json.ts';
import type { KindHandler, Provider, ProviderFactory } from './contract.ts';
import { compileSchema, type SchemaCheck } from '../schema/index.ts';

/** A provider type that can be instantiated: its factory and its config schema. */
export interface ProviderType {
  readonly type: string;
  readonly create: ProviderFactory;
  /** Kinds it serves without configuration (for schemas, docs and did-you-mean). */
  readonly kinds: readonly KindHandler[];
  readonly configSchema: JsonObject;
  /**
   * Every stack gets an instance even when no resource uses the type, so its discovery
   * finds what the stack still owns after the last such resource left the config. Only for
   * types that need no configuration or credentials (host).
   */
  readonly alwaysInstantiated?: boolean;
  /**
   * The static handler (schema, attributes) of a kind not listed in `kinds`, for types whose
   * kinds are open-ended (`kubernetes:<apiVersion>:<Kind>`).
   */
  readonly resolveKind?: (kind: string) => KindHandler | undefined;
  /**
   * Dependencies the kinds imply among this type's resources, beyond references and
   * `depends_on` (a namespace before what lives in it). `properties` may hold unresolved
   * values (anything not a plain string is ignored).
   */
  readonly impliedEdges?: (resources: readonly ImpliedEdgeInput[]) => readonly { readonly from: string; readonly to: string }[];
}

/** What {@link ProviderType.impliedEdges} sees of each resource. */
export interface ImpliedEdgeInput {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  /** The provider instance (`kubernetes`, `kubernetes.staging`): edges stay within one. */
  readonly provider: string;
  readonly properties: unknown;
}

/**
 * Knows every provider type and the configured instances of a stack. Kinds are named
 * `<type>:<...>`; a resource uses the instance named by its `provider` field, else the
 * instance named like the type.
 */
export class ProviderRegistry {
  readonly #types = new Map<string, ProviderType>();
  readonly #instances = new Map<string, Provider>();
  readonly #checks = new Map<string, SchemaCheck>();

  constructor(types: readonly ProviderType[]) {
    for (const type of types) this.#types.set(type.type, type);
  }

  /** The provider type a kind belongs to (`host` for `host:file`). */
  static typeOfKind(kind: string): string {
    const colon = kind.indexOf(':');
    return colon === -1 ? kind : kind.slice(0, colon);
  }

  /** All registered provider types. */
  types(): readonly ProviderType[] {
    return [...this.#types.values()];
  }

  /** Looks up a provider type by name. */
  type(name: string): ProviderType | undefined {
    return this.#types.get(name);
  }

  /** Every kind of every type, sorted by name. */
  allKinds(): readonly KindHandler[] {
    return [...this.#types.values()].flatMap((t) => t.kinds).sort((a, b) => a.kind.localeCompare(b.kind));
  }

  /** The static handler of a kind (schema, attributes), before any instance exists. */
  kind(kind: string): KindHandler | undefined {
    const type = this.#types.get(ProviderRegistry.typeOfKind(kind));
    return type?.kinds.find((k) => k.kind === kind) ?? type?.resolveKind?.(kind);
  }

  /** Validates `properties` against the kind's schema, applying defaults in place. */
  checkProperties(kind: string, properties: unknown): ReturnType<SchemaCheck> {
    let check = this.#checks.get(kind);
    if (check === undefined) {
      const handler = this.kind(kind);
      if (handler === undefined) return [{ pointer: '', keyword: 'kind', message: `Unknown kind "${kind}"` }];
      check = compileSchema(handler.schema);
      this.#checks.set(kind, check);
    }
    return check(properties);
  }

  /** Creates (once) the provider instance `name` of `type` from its validated config. */
  instantiate(name: string, type: string, config: JsonObject): Provider {
    const existing = this.#instances.get(name);
    if (existing !== undefined) return existing;
    const providerType = this.#types.get(type);
    if (providerType === undefined) throw new Error(`Unknown provider type "${type}"`);
    const provider = providerType.create(config);
    this.#instances.set(name, provider);
    return provider;
  }

  /**
   * Registers an instance made elsewhere under `name`: a host provider over an SSH
   * transport the caller owns (and closes). Throws when the name is taken.
   */
  adopt(name: string, provider: Provider): void {
    if (this.#instances.has(name)) throw new Error(`Provider instance "${name}" already exists`);
    this.#instances.set(name, provider);
  }

  /** A configured instance, if it was instantiated. */
  instance(name: string): Provider | undefined {
    return this.#instances.get(name);
  }

  /** Instantiated instances by name. */
  instances(): ReadonlyMap<string, Provider> {
    return this.#instances;
  }
}

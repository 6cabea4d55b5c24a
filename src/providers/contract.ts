import type { JsonObject, JsonValue } from '../core/json.ts';
import type { SourceLocation } from '../core/location.ts';

/** Attributes a resource exposes for references (`${res.site.path}`). */
export type Attributes = JsonObject;

/** A JSON Schema (2020-12) object, as shipped for each kind's properties. */
export type JsonSchema = JsonObject;

/** What a provider knows about one resource as it is now, live. */
export interface LiveState {
  /** The provider's identity for it: a path, an ARN, a namespaced name. */
  readonly identity: string;
  /** Live values of the fields the kind manages, in the shape of its properties. */
  readonly properties: JsonObject;
  /** Attributes exposed for references. */
  readonly attributes: Attributes;
  /** The ownership marker found on it (`stack` + `address`), when the kind carries one. */
  readonly owner?: { readonly stack: string; readonly address: string };
}

/** A resource the provider found that belongs to the stack (possibly no longer in config). */
export interface OwnedResource {
  readonly address: string;
  readonly kind: string;
  readonly live: LiveState;
  /** Addresses it depended on when last committed, so removals run in reverse order. */
  readonly dependsOn?: readonly string[];
}

/** A resource the engine wants to exist: its address and resolved properties. */
export interface DesiredResource {
  readonly address: string;
  /** The stack it belongs to (`project/environment`), for names and markers derived from it. */
  readonly stack?: string;
  readonly kind: string;
  readonly name: string;
  /** Properties after resolution and schema validation (defaults applied). */
  readonly properties: JsonObject;
  /** Where the resource is written, so a provider can point its errors at the YAML. */
  readonly origin?: SourceLocation;
  /**
   * Where one property is written: a JSON pointer into `properties` (`/spec/replicas`) to
   * the `file:line:col` of that value, else of the nearest enclosing value written in YAML.
   * Lets a provider point an error about one field (a server-side validation) at it.
   */
  readonly locate?: (pointer: string) => SourceLocation | undefined;
}

/** One field that differs between live state and config. */
export interface FieldDiff {
  /** JSON pointer into properties: `/mode`, `/tags/env`. */
  readonly path: string;
  /** Live value; `undefined` when the field is absent live. */
  readonly before: JsonValue | undefined;
  /** Desired value; `undefined` when config removes it (e.g. an extra tag). */
  readonly after: JsonValue | undefined;
  /** Changing this field needs delete + create. */
  readonly forcesReplace: boolean;
  /** The desired value is only known after commit. */
  readonly unknownAfter?: boolean;
  /** Human text for drift bullets, e.g. `has extra tag "env=qa"`; defaults to before → after. */
  readonly description?: string;
}

/** Snapshot of what Runestone last saw for a resource; the cache is never the truth. */
export interface Snapshot {
  readonly stack: string;
  readonly address: string;
  readonly kind: string;
  readonly provider: string;
  readonly live: LiveState;
  readonly seenAt: string;
  /** Addresses it depended on when last seen (for ordering removals of what config dropped). */
  readonly dependsOn?: readonly string[];
}

/** Read access to the snapshot cache, for providers whose resources carry no markers. */
export interface SnapshotReader {
  list(stack: string, provider: string): Promise<readonly Snapshot[]>;
}

/**
 * A provider call that failed with a transient error (throttling, 5xx, a network error) and
 * is being tried again inside the provider, e.g. by a cloud SDK's own retry logic.
 */
export interface ProviderRetry {
  /** The API operation, `service:Operation`: `s3:HeadBucket`, `iam:GetRole`. */
  readonly operation: string;
  /** The attempt about to start: 2 for the first retry. */
  readonly attempt: number;
  /** The error code the previous attempt failed with: `SlowDown`, `Throttling`, `503`. */
  readonly code: string;
}

/** What every provider call gets. */
export interface ProviderContext {
  readonly signal: AbortSignal;
  /** Stack identity for ownership markers. */
  readonly stack: string;
  /** Directory relative paths in properties resolve from. */
  readonly baseDir: string;
  /** Streams a line of progress or command output (becomes a `node.output` event). */
  readonly output: (line: string, stream?: 'stdout' | 'stderr') => void;
  /** True in preview/check mode: read only, change nothing. */
  readonly dryRun: boolean;
  /**
   * The same object for every read and the discovery of one observation pass (a preview,
   * the observe step of commit, one `align` round); absent when executing changes. A provider
   * may share one batched query (e.g. a tag listing) among the calls of a pass, keyed by it.
   */
  readonly observation?: object;
  /** Tells the engine a call is being retried inside the provider (becomes a `provider.retry` event). */
  readonly retrying?: (retry: ProviderRetry) => void;
}

/** What `discover` gets besides the usual context. */
export interface DiscoverContext extends ProviderContext {
  readonly snapshots: SnapshotReader;
  /** The provider instance's name (`aws`, `aws.west`). */
  readonly instance: string;
  /**
   * Addresses the plan declares. The engine reads those itself and ignores them in what
   * `discover` returns, so a provider need not read them in full again.
   */
  readonly planned?: ReadonlySet<string>;
}

/** The result of checking a provider's configuration and reachability (`bootstrap`). */
export interface ProviderCheck {
  readonly ok: boolean;
  /** One line such as `host provider ready (linux, user root)`. */
  readonly summary: string;
}

/** How a kind is read, compared, created, updated and deleted. */
export interface KindHandler {
  readonly kind: string;
  /** One line for docs and `runestone schema`. */
  readonly description: string;
  /** JSON Schema of `properties`: strict, with defaults. */
  readonly schema: JsonSchema;
  /** Top-level property names whose change forces replacement. */
  readonly forceReplace: readonly string[];
  /** Names of the attributes it exposes, for reference checking and docs. */
  readonly attributes: readonly string[];
  /**
   * The kind puts ownership markers on what it creates (tags, labels) and reports them as
   * `LiveState.owner`. The engine then refuses to touch what another stack owns, and takes
   * over an unmarked existing resource only with `adopt: true`; `update` must (re)write the
   * markers.
   */
  readonly marksOwnership?: boolean;
  /** Reads the live state of the desired resource, or `undefined` when it does not exist. */
  read(desired: DesiredResource, ctx: ProviderContext): Promise<LiveState | undefined>;
  /** Compares live to desired on the managed fields. Omit for the engine's structural default. */
  diff?(desired: DesiredResource, live: LiveState): readonly FieldDiff[];
  /** The attributes the resource will have, as far as known before it exists (for previews). */
  plannedAttributes?(desired: DesiredResource): Attributes;
  create(desired: DesiredResource, ctx: ProviderContext): Promise<LiveState>;
  update(desired: DesiredResource, live: LiveState, diff: readonly FieldDiff[], ctx: ProviderContext): Promise<LiveState>;
  delete(live: LiveState, ctx: ProviderContext): Promise<void>;
}

/** A provider: a set of kinds plus configuration, checks and discovery. */
export interface Provider {
  /** Provider type, the kind prefix: `host` for `host:file`. */
  readonly type: string;
  readonly kinds: ReadonlyMap<string, KindHandler>;
  /** JSON Schema of its `providers.<name>` block. */
  readonly configSchema: JsonSchema;
  /** Reachability and credentials check for `bootstrap`. */
  check(ctx: ProviderContext): Promise<ProviderCheck>;
  /**
   * Lists what the stack owns, so resources dropped from config become removals. One
   * query per provider where the API allows (tags, labels); host resources use `snapshots`.
   */
  discover(ctx: DiscoverContext): Promise<readonly OwnedResource[]>;
  /**
   * The handler of a kind not in `kinds`, for providers whose kinds are open-ended
   * (`kubernetes:<apiVersion>:<Kind>`, resolved through the cluster's discovery).
   */
  resolveKind?(kind: string): KindHandler | undefined;
}

/** Creates a provider instance from its validated configuration. */
export type ProviderFactory = (config: JsonObject) => Provider;

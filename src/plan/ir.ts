import type { NodeId } from '../core/brands.ts';
import type { JsonObject, JsonValue } from '../core/json.ts';
import type { SourceLocation } from '../core/location.ts';
import type { Attributes } from '../providers/contract.ts';

export type { Attributes };

/**
 * A value in a plan node's properties. Plain JSON, except where an expression refers to
 * another resource's attributes: that stays a `DeferredValue` until the attributes exist.
 */
export type PlanValue = JsonValue | DeferredValue | readonly PlanValue[] | { readonly [key: string]: PlanValue };


/** Looks up the attributes of a node, or `undefined` while they are not known yet. */
export type AttributesLookup = (id: NodeId) => Attributes | undefined;

/** The result of resolving a value against known attributes. */
export interface ResolvedValue {
  readonly value: JsonValue;
  /** JSON pointers (`/tags/owner`) whose value stays unknown until commit. */
  readonly unknownPaths: readonly string[];
}

/**
 * An expression whose value depends on other resources' attributes. It is evaluated
 * just in time: at preview when the referenced resources already exist, else during commit.
 */
export interface DeferredValue {
  readonly kind: 'deferred';
  /** The YAML string the expression came from, for display. */
  readonly source: string;
  /** The nodes whose attributes it reads; each is also a dependency edge. */
  readonly refs: readonly NodeId[];
  readonly location: SourceLocation;
  /** Evaluates it; returns `undefined` when a referenced node's attributes are not known yet. Throws `ExprError`. */
  readonly evaluate: (lookup: AttributesLookup) => JsonValue | undefined;
}

/**
 * Why an edge exists: written `depends_on`, an expression reference, module membership, or
 * the kinds' own order (a Kubernetes namespace before what lives in it), or a steps
 * document's order (each step after the one before it).
 */
export type EdgeReason = 'explicit' | 'reference' | 'module' | 'kind' | 'order';

/** A dependency: this node needs `to` to be done first. */
export interface PlanEdge {
  readonly to: NodeId;
  readonly reason: EdgeReason;
  /** Where the `depends_on` entry, the reference or the module use is written. */
  readonly origin: SourceLocation;
}

/** What `align` may do about drift on a node. */
export interface DriftPolicy {
  readonly autoHeal: boolean;
  readonly notifyOnly: boolean;
}

/** One resource instance after expansion: the unit the engine observes, diffs and executes. */
export interface PlanNode {
  /** Stable id: `kind.name`, `kind.name[0]`, `kind.name["key"]`. */
  readonly id: NodeId;
  /** The resource kind, e.g. `host:file`. */
  readonly kind: string;
  /** The resolved resource name (unique within its kind in the stack). */
  readonly name: string;
  /** The provider instance that owns it: `host`, `aws`, or an alias such as `aws.west`. */
  readonly provider: string;
  readonly origin: SourceLocation;
  /**
   * Where a property is written: a JSON pointer into `properties` (`/spec/replicas`) to the
   * `file:line:col` of that value, else of the nearest enclosing value written in YAML (an
   * expression that yields a whole object is located at the expression).
   */
  readonly locate?: (pointer: string) => SourceLocation;
  /** Resolved properties (a `PlanValue` object); checked against the kind's schema. */
  readonly properties: { readonly [key: string]: PlanValue };
  readonly edges: readonly PlanEdge[];
  readonly driftPolicy: DriftPolicy;
  /** Take over an existing resource with the same identity instead of failing. */
  readonly adopt: boolean;
  /** The module instance this node belongs to (`module:vpc.core-network`), if any. */
  readonly module?: string;
  /**
   * A condition only known during the run: a steps `when` that reads a registered result.
   * Commit carries the change out only when it evaluates to `true`; otherwise the node is
   * skipped and what depends on it goes on. A preview cannot know it yet, so it shows the
   * change as planned ("would run").
   */
  readonly when?: DeferredValue;
  /**
   * Steps' `retries`/`retry_delay`: after a failed create or update, wait `delayMs` and carry
   * the whole change out again, up to `count` more times (whatever the error).
   */
  readonly retry?: { readonly count: number; readonly delayMs: number };
}

/** A stack output: a named value, possibly deferred, optionally secret. */
export interface PlanOutput {
  readonly name: string;
  readonly value: PlanValue;
  readonly secret: boolean;
  readonly origin: SourceLocation;
}

/** A provider instance's validated configuration. */
export interface ProviderInstanceConfig {
  /** Instance name: `host`, `aws`, `aws.west`. */
  readonly name: string;
  /** Provider type: `host`, `aws`, `kubernetes`. */
  readonly type: string;
  readonly config: JsonObject;
  readonly origin?: SourceLocation;
}

/** The plan IR: everything later stages need, nothing they must reach back for. */
export interface Plan {
  /** Stack identity used in ownership markers: `project/environment`. */
  readonly stack: string;
  readonly project: string;
  readonly environment: string;
  /** Directory of the first config file; relative paths in properties resolve from it. */
  readonly baseDir: string;
  /** Nodes in a deterministic order: by id for stacks, run order for steps documents. */
  readonly nodes: readonly PlanNode[];
  readonly outputs: readonly PlanOutput[];
  readonly providers: readonly ProviderInstanceConfig[];
  /** Secret values to redact at every output boundary. */
  readonly secrets: readonly string[];
  /** Content hash of the config files and variable values; a saved plan checks it. */
  readonly configHash: string;
  /**
   * True for steps documents: what is no longer declared (a dropped step, or one left out by
   * `--tags`) is left alone, never discovered for removal.
   */
  readonly keepsUndeclared?: boolean;
}

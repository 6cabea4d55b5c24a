import type { NodeId } from '../core/brands.ts';
import { ExprError } from '../core/errors.ts';
import type { JsonValue } from '../core/json.ts';
import { didYouMean } from '../config/index.ts';
import { evaluateTemplate, toCel } from '../expr/index.ts';
import { isPending, type DraftValue, type PendingReference } from './draft-value.ts';
import type { AttributesLookup } from './ir.ts';
import { isPartialAttributes } from './partial-attributes.ts';

/** What `res.<name>` points at. */
export type Target =
  | { readonly kind: 'node'; readonly id: NodeId }
  | { readonly kind: 'module'; readonly instance: ModuleInstance }
  | { readonly kind: 'list'; readonly items: readonly Target[] }
  | { readonly kind: 'map'; readonly items: readonly (readonly [string, Target])[] };

/** A module instance: its namespace, its outputs (attributes for callers) and its nodes. */
export interface ModuleInstance {
  /** `module:site.web`, nested `module:site.web/module:db.main`. */
  readonly path: string;
  readonly namespace: Namespace;
  readonly outputs: Map<string, DraftValue>;
}

/**
 * The names resources can be referenced by in one scope: the stack, or one module
 * instance. `res.<name>` looks here; `res['kind.name']` matches full addresses.
 */
export class Namespace {
  readonly path: string;
  readonly #byName = new Map<string, { kind: string; target: Target }[]>();
  readonly #byAddress = new Map<string, Target>();
  /** Every node id declared in this namespace, nested module nodes included. */
  readonly nodeIds: NodeId[] = [];

  constructor(path: string) {
    this.path = path;
  }

  /** Declares a block's target under its name and address (`kind.name`). */
  declare(kind: string, name: string, target: Target): void {
    this.#byName.set(name, [...(this.#byName.get(name) ?? []), { kind, target }]);
    this.#byAddress.set(`${kind}.${name}`, target);
  }

  /** Records a node id as belonging to this namespace. */
  addNode(id: NodeId): void {
    this.nodeIds.push(id);
  }

  /** Resolves `res.<name>` or `res['kind.name']`; throws a located error if unknown or ambiguous. */
  resolve(ref: PendingReference): Target {
    const byAddress = this.#byAddress.get(ref.name);
    if (byAddress !== undefined) return byAddress;
    const entries = this.#byName.get(ref.name) ?? [];
    if (entries.length === 1 && entries[0] !== undefined) return entries[0].target;
    if (entries.length > 1) {
      throw new ExprError('RS_EXPR_E0009', `Cannot resolve "res.${ref.name}": ${entries.length} resources are named "${ref.name}" (${entries.map((e) => e.kind).join(', ')})`, {
        location: ref.location,
        hint: `Use the full address, e.g. res['${entries[0]?.kind ?? 'kind'}.${ref.name}']`,
      });
    }
    const suggestion = didYouMean(ref.name, [...this.#byName.keys()]);
    throw new ExprError('RS_EXPR_E0007', `Cannot resolve "res.${ref.name}": no resource named "${ref.name}"${this.path === '' ? ' in the stack' : ` in ${this.path}`}`, {
      location: ref.location,
      hint: suggestion === undefined ? 'Reference a resource declared in the same stack or module' : `Did you mean "${suggestion}"?`,
    });
  }

  /** Ids matching an address: exact id, `kind.name` group, or module instance/module. */
  addresses(): ReadonlyMap<string, Target> {
    return this.#byAddress;
  }
}

/** Every node id a target depends on. */
export function targetIds(target: Target): NodeId[] {
  switch (target.kind) {
    case 'node':
      return [target.id];
    case 'module':
      return target.instance.namespace.nodeIds;
    case 'list':
      return target.items.flatMap(targetIds);
    case 'map':
      return target.items.flatMap(([, item]) => targetIds(item));
  }
}

/** The value `res.<name>` has for a target, or `undefined` while anything is unknown. */
export function targetValue(target: Target, lookup: AttributesLookup): JsonValue | undefined {
  switch (target.kind) {
    case 'node':
      return lookup(target.id);
    case 'module': {
      const out: Record<string, JsonValue> = {};
      for (const [name, value] of target.instance.outputs) {
        const resolved = resolveDraft(value, target.instance.namespace, lookup);
        if (resolved === undefined) return undefined;
        out[name] = resolved;
      }
      return out;
    }
    case 'list': {
      const out: JsonValue[] = [];
      for (const item of target.items) {
        const value = targetValue(item, lookup);
        if (value === undefined) return undefined;
        out.push(value);
      }
      return out;
    }
    case 'map': {
      const out: Record<string, JsonValue> = {};
      for (const [key, item] of target.items) {
        const value = targetValue(item, lookup);
        if (value === undefined) return undefined;
        out[key] = value;
      }
      return out;
    }
  }
}

/** Resolves a draft value (pending leaves evaluated against `lookup`), or `undefined` if unknown. */
export function resolveDraft(value: DraftValue, namespace: Namespace, lookup: AttributesLookup): JsonValue | undefined {
  if (isPending(value)) {
    const seen = { partial: false };
    const tracked: AttributesLookup = (id) => {
      const attributes = lookup(id);
      if (attributes !== undefined && isPartialAttributes(attributes)) seen.partial = true;
      return attributes;
    };
    const res: Record<string, JsonValue> = {};
    for (const ref of value.references) {
      const resolved = targetValue(namespace.resolve(ref), tracked);
      if (resolved === undefined) return undefined;
      res[ref.name] = resolved;
    }
    try {
      return evaluateTemplate(value.template, { ...value.scope, res: toCel(res) }, value.locate);
    } catch (error: unknown) {
      // It may read an attribute not known yet (e.g. a command's stdout before it runs).
      if (seen.partial) return undefined;
      throw error;
    }
  }
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const item of value as readonly DraftValue[]) {
      const resolved = resolveDraft(item, namespace, lookup);
      if (resolved === undefined) return undefined;
      out.push(resolved);
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value as Record<string, DraftValue>)) {
      const resolved = resolveDraft(item, namespace, lookup);
      if (resolved === undefined) return undefined;
      out[key] = resolved;
    }
    return out;
  }
  return value;
}

declare const brand: unique symbol;

/** A nominal type: a `T` that cannot be mixed up with another `T` of a different brand. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/**
 * The stable id of a plan node: `kind.name`, `kind.name[0]` or `kind.name["key"]`.
 * It is also the node's address for `depends_on` and `--target`.
 */
export type NodeId = Brand<string, 'NodeId'>;

/** Brands a string as a node id (no validation: callers build ids with `plan/ids.ts`). */
export function asNodeId(value: string): NodeId {
  return value as NodeId;
}

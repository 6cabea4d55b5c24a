import type { Attributes } from './ir.ts';

const partial = new WeakSet<Attributes>();

/**
 * Marks attributes as partly known: a preview's planned attributes that lack some of the
 * kind's attributes (a command's `stdout` before it runs). An expression over them that
 * fails to evaluate is unknown until commit, not an error.
 *
 * @example
 * lookup = (id) => markPartialAttributes({ creates: '/tmp/done' })
 */
export function markPartialAttributes(attributes: Attributes): Attributes {
  partial.add(attributes);
  return attributes;
}

/** True for attributes passed to {@link markPartialAttributes}. */
export function isPartialAttributes(attributes: Attributes): boolean {
  return partial.has(attributes);
}

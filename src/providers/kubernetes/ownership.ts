import { createHash } from 'node:crypto';

/** The standard label saying who manages an object. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** Label selecting a stack's objects (a label-safe form of the stack name). */
export const STACK_LABEL = 'runestone.io/stack';
/** The exact stack name (labels cannot hold `/`). */
export const STACK_ANNOTATION = 'runestone.io/stack';
/** The resource's address in the stack, e.g. `kubernetes:v1:ConfigMap.settings`. */
export const ADDRESS_ANNOTATION = 'runestone.io/address';

/**
 * The stack as a label value: at most 63 characters of `[A-Za-z0-9._-]`, starting and
 * ending alphanumeric. `shop/dev` becomes `shop.dev`; a longer name keeps a hash suffix.
 */
export function stackLabelValue(stack: string): string {
  const safe = stack.replace(/[^A-Za-z0-9._-]/g, '.').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (safe.length <= 63) return safe;
  const hash = createHash('sha256').update(stack).digest('hex').slice(0, 10);
  return `${safe.slice(0, 52).replace(/[^A-Za-z0-9]+$/, '')}.${hash}`;
}

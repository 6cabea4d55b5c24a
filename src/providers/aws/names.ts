/**
 * A default resource name from the stack and the resource name (`shop/prod` + `logs` →
 * `shop-prod-logs`), limited to the characters and length the service allows.
 */
export function defaultName(stack: string | undefined, name: string, options: { readonly max: number; readonly lower?: boolean }): string {
  const raw = stack === undefined ? name : `${stack.replaceAll('/', '-')}-${name}`;
  const cased = options.lower === true ? raw.toLowerCase() : raw;
  return cased
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, options.max)
    .replace(/[^A-Za-z0-9]+$/, '');
}

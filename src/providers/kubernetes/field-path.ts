/**
 * Turns a field path as the API server writes it in a `Status` cause
 * (`spec.template.spec.containers[0].ports[0].containerPort`,
 * `metadata.labels[app.kubernetes.io/name]`, `.spec.replicas` in apply conflicts) into a
 * JSON pointer into the manifest (`/spec/template/spec/containers/0/ports/0/containerPort`),
 * or `undefined` when it is not a path (empty, `<nil>`, unbalanced brackets).
 */
export function fieldPointer(field: string): string | undefined {
  const keys: string[] = [];
  let current = '';
  let i = field.startsWith('.') ? 1 : 0;
  const flush = (): void => {
    if (current !== '') keys.push(current);
    current = '';
  };
  while (i < field.length) {
    const c = field[i] ?? '';
    if (c === '.') {
      flush();
      i++;
    } else if (c === '[') {
      flush();
      const close = field.indexOf(']', i + 1);
      if (close === -1) return undefined;
      keys.push(field.slice(i + 1, close));
      i = close + 1;
    } else if (c === ']' || c === ' ' || c === '<') {
      return undefined;
    } else {
      current += c;
      i++;
    }
  }
  flush();
  if (keys.length === 0) return undefined;
  return keys.map((k) => `/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Splits a JSON pointer into keys (RFC 6901); tolerates a missing leading slash. */
export function splitPointerSafe(pointer: string): string[] {
  if (pointer === '') return [];
  const body = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  return body.split('/').map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Comments Runestone writes on roles and databases it owns start with this. */
export const OWNER_PREFIX = 'runestone:';

/** The ownership comment for a role or database: `runestone:{"stack":...,"address":...}`. */
export function ownerComment(stack: string, address: string): string {
  return `${OWNER_PREFIX}${JSON.stringify({ stack, address })}`;
}

/** Reads an ownership comment; `undefined` for any other comment. */
export function parseOwnerComment(comment: unknown): { readonly stack: string; readonly address: string } | undefined {
  if (typeof comment !== 'string' || !comment.startsWith(OWNER_PREFIX)) return undefined;
  try {
    const value = JSON.parse(comment.slice(OWNER_PREFIX.length)) as { stack?: unknown; address?: unknown };
    return typeof value.stack === 'string' && typeof value.address === 'string' ? { stack: value.stack, address: value.address } : undefined;
  } catch {
    return undefined;
  }
}

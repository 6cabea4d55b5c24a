/** Marks a switch as exhaustive: adding a variant to a union fails to compile until handled. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected variant: ${JSON.stringify(value)}`);
}

/** A property the schema already checked as a string (empty when absent). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

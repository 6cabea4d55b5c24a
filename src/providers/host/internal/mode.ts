/** The JSON Schema pattern for a mode string: 3 or 4 octal digits (`"644"`, `"0755"`, `"1777"`). */
export const MODE_PATTERN = '^[0-7]{3,4}$';

/** Parses an octal mode string (`"0755"`) to its number. */
export function parseMode(text: string): number {
  return Number.parseInt(text, 8) & 0o7777;
}

/** Formats permission bits as 4 octal digits (`0o755` → `"0755"`), the form live state uses. */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Normalises a mode string to 4 digits, so `"644"` and `"0644"` compare equal. */
export function normalizeMode(text: string): string {
  return formatMode(parseMode(text));
}

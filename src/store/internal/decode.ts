import { isPlainObject, RunestoneError } from '../../core/index.ts';

/**
 * Parses a JSON column. The cache is not the truth, so a row that does not parse is
 * reported with a hint to delete the file rather than papered over.
 *
 * @throws RunestoneError `RS_STORE_E0004`.
 */
export function parseJsonColumn(text: unknown, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch (error) {
    throw unreadable(what, error);
  }
  if (!isPlainObject(value)) throw unreadable(what, undefined);
  return value;
}

/** A text column, or `RS_STORE_E0004` when the row holds something else. */
export function textColumn(value: unknown, what: string): string {
  if (typeof value !== 'string') throw unreadable(what, undefined);
  return value;
}

/** A nested JSON object, or `RS_STORE_E0004` when the entry holds something else. */
export function objectField(value: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw unreadable(what, undefined);
  return value;
}

/** A text column restricted to known values, or `RS_STORE_E0004`. */
export function oneOfColumn<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  const text = textColumn(value, what);
  const match = allowed.find((item) => item === text);
  if (match === undefined) throw unreadable(what, undefined);
  return match;
}

function unreadable(what: string, cause: unknown): RunestoneError {
  return new RunestoneError('RS_STORE_E0004', `Cannot read ${what} from the snapshot cache: the entry is not valid`, {
    cause,
    hint: 'Delete the cache file: it is rebuilt from live state on the next run',
  });
}

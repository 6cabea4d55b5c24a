import { jsonEqual, type JsonValue } from '../../core/json.ts';

/**
 * A live policy document shown in the form the config used: when the config wrote it as a
 * JSON string and the documents are equal, the config's exact string; otherwise the live
 * value (a map, or a string when the config used one). Equal policies then diff clean.
 */
export function samePolicyShape(live: JsonValue, desired: JsonValue | undefined): JsonValue {
  if (typeof desired !== 'string') return live;
  try {
    return jsonEqual(JSON.parse(desired) as JsonValue, live) ? desired : JSON.stringify(live);
  } catch {
    return JSON.stringify(live);
  }
}

/** A policy document as the text AWS takes. */
export function policyText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

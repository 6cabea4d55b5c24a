import { jsonEqual, type JsonValue } from '../../core/json.ts';

/**
 * Parses a policy document as IAM returns it: URL-encoded JSON (GetRole, GetRolePolicy,
 * GetPolicyVersion), or plain JSON from emulators that skip the encoding.
 */
export function parseIamDocument(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return JSON.parse(decodeURIComponent(text)) as JsonValue;
  }
}

/** True when two policy documents (maps or JSON strings) are the same JSON. */
export function isSameDocument(live: JsonValue | undefined, desired: JsonValue | undefined): boolean {
  if (live === undefined || desired === undefined) return false;
  const parse = (value: JsonValue): JsonValue => (typeof value === 'string' ? (JSON.parse(value) as JsonValue) : value);
  try {
    return jsonEqual(parse(live), parse(desired));
  } catch {
    return false;
  }
}

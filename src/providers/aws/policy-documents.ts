import { jsonEqual, type JsonValue } from '../../core/json.ts';

/** A policy document as config gives it (a map or a JSON string), as the text AWS takes. */
export function policyText(document: JsonValue | undefined): string {
  return typeof document === 'string' ? document : JSON.stringify(document ?? {});
}

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

/**
 * A live policy in the form config used, so equal policies diff clean: parsed JSON when
 * config gave a map; the config's own string when config gave a JSON string of the same
 * document, else the live document as a JSON string.
 */
export function samePolicyShape(live: JsonValue, desired: JsonValue | undefined): JsonValue {
  if (typeof desired !== 'string') return live;
  try {
    return jsonEqual(JSON.parse(desired) as JsonValue, live) ? desired : JSON.stringify(live);
  } catch {
    return JSON.stringify(live);
  }
}

/**
 * Live list items in config's order (those config lists and AWS has), then the extras
 * sorted, so an unordered set such as attached policy ARNs diffs clean when only the
 * order differs.
 */
export function orderLike(live: readonly string[], desired: JsonValue | undefined): string[] {
  const wanted = Array.isArray(desired) ? desired.filter((item): item is string => typeof item === 'string') : [];
  const have = new Set(live);
  return [...wanted.filter((item) => have.has(item)), ...live.filter((item) => !wanted.includes(item)).sort()];
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

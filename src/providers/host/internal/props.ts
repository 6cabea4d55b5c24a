import { isPlainObject, ProviderError } from '../../../core/index.ts';
import type { JsonObject, JsonValue } from '../../../core/index.ts';

/**
 * Typed reads of a resource's properties. The engine validated them against the kind's
 * schema already; these checks only turn that promise into types, and fail loudly (as
 * `RS_HOST_E0011`) if a caller skipped validation.
 */
export class Props {
  readonly #props: JsonObject;
  readonly #kind: string;

  constructor(props: JsonObject, kind: string) {
    this.#props = props;
    this.#kind = kind;
  }

  /** True when the key is present (and not null). */
  has(key: string): boolean {
    const value = this.#props[key];
    return value !== undefined && value !== null;
  }

  /** The raw value of a key (any JSON), or `undefined` when absent. */
  value(key: string): JsonValue | undefined {
    return this.#props[key];
  }

  /** A required string. */
  string(key: string): string {
    const value = this.optionalString(key);
    if (value === undefined) throw this.#invalid(key, 'a string');
    return value;
  }

  /** A string, or `undefined` when absent. */
  optionalString(key: string): string | undefined {
    const value = this.#props[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.#invalid(key, 'a string');
    return value;
  }

  /** A number, or `undefined` when absent. */
  optionalNumber(key: string): number | undefined {
    const value = this.#props[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number') throw this.#invalid(key, 'a number');
    return value;
  }

  /** A boolean with a fallback. */
  boolean(key: string, fallback: boolean): boolean {
    const value = this.#props[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw this.#invalid(key, 'a boolean');
    return value;
  }

  /** A list of strings, or `undefined` when absent. */
  optionalStringList(key: string): readonly string[] | undefined {
    const value = this.#props[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) throw this.#invalid(key, 'a list of strings');
    return value;
  }

  /** A map of strings (empty when absent). */
  stringMap(key: string): Readonly<Record<string, string>> {
    const value = this.#props[key];
    if (value === undefined || value === null) return {};
    if (!isPlainObject(value) || !Object.values(value).every((item) => typeof item === 'string')) throw this.#invalid(key, 'a map of strings');
    return value as Record<string, string>;
  }

  /** A JSON map (empty when absent). */
  objectMap(key: string): JsonObject {
    const value: JsonValue | undefined = this.#props[key];
    if (value === undefined || value === null) return {};
    if (!isPlainObject(value)) throw this.#invalid(key, 'a map');
    return value;
  }

  /** Requires exactly one of two alternative keys and says which one is set. */
  exactlyOne<A extends string, B extends string>(first: A, second: B): A | B {
    const hasFirst = this.has(first);
    if (hasFirst === this.has(second)) {
      throw new ProviderError('RS_HOST_E0011', `Invalid ${this.#kind} properties: set exactly one of "${first}" or "${second}", found ${hasFirst ? 'both' : 'neither'}`, {
        hint: `Keep "${first}" for inline text or "${second}" for the alternative, not both`,
      });
    }
    return hasFirst ? first : second;
  }

  #invalid(key: string, expected: string): ProviderError {
    return new ProviderError('RS_HOST_E0011', `Invalid ${this.#kind} property "${key}": expected ${expected}, found ${JSON.stringify(this.#props[key] ?? null)}`, {
      source: 'internal',
      hint: 'Properties should have been validated against the kind schema; this is a bug in Runestone, please report it',
    });
  }
}

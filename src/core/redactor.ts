/** What a secret prints as, everywhere. */
export const SECRET_PLACEHOLDER = '(secret)';

/**
 * Replaces every known secret value in strings and nested structures with `(secret)`.
 * Output boundaries (reporters, event writers, caches, saved plans) pass values through one.
 */
export class Redactor {
  readonly #secrets: string[] = [];

  /** Registers a secret value; short values are kept too, as a secret is a secret. */
  add(secret: unknown): void {
    if (typeof secret === 'string' && secret.length > 0) {
      this.#secrets.push(secret);
      // Longest first, so a secret that contains another is replaced whole.
      this.#secrets.sort((a, b) => b.length - a.length);
    } else if (typeof secret === 'number' || typeof secret === 'bigint') {
      this.add(String(secret));
    } else if (Array.isArray(secret)) {
      for (const item of secret) this.add(item);
    } else if (secret !== null && typeof secret === 'object') {
      for (const item of Object.values(secret)) this.add(item);
    }
  }

  /** True when at least one secret is registered. */
  get hasSecrets(): boolean {
    return this.#secrets.length > 0;
  }

  /** Redacts secrets inside a string. */
  redactText(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(SECRET_PLACEHOLDER);
    }
    return out;
  }

  /** Returns a deep copy of `value` with every secret redacted. */
  redact<T>(value: T): T {
    if (!this.hasSecrets) return value;
    return this.#redactValue(value) as T;
  }

  #redactValue(value: unknown): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (Array.isArray(value)) return value.map((item: unknown) => this.#redactValue(item));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = this.#redactValue(item);
      return out;
    }
    return value;
  }
}

import { stableStringify } from '../../../core/index.ts';
import type { DesiredResource } from '../../contract.ts';

/**
 * Remembers what `read` worked out about a desired resource (its resolved path, the hash
 * of its rendered content) for the synchronous `diff` and `plannedAttributes`, which get
 * no context and so cannot resolve relative paths or read `source` files themselves.
 *
 * Keyed by address and checked against the properties, so a stale entry (the config
 * changed since `read`) is never used. One entry per address keeps memory bounded.
 */
export class PreparedMemo<T> {
  readonly #entries = new Map<string, { readonly key: string; readonly value: T }>();

  /** Stores what was prepared for `desired`. */
  remember(desired: DesiredResource, value: T): void {
    this.#entries.set(desired.address, { key: stableStringify(desired.properties), value });
  }

  /** What was prepared for exactly these properties, if anything. */
  recall(desired: DesiredResource): T | undefined {
    const entry = this.#entries.get(desired.address);
    return entry !== undefined && entry.key === stableStringify(desired.properties) ? entry.value : undefined;
  }
}

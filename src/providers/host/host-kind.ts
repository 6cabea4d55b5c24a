import type { KindHandler, LiveState, ProviderContext } from '../contract.ts';

/**
 * A host kind: the contract's handler plus `reread`, which re-reads a resource from its
 * last snapshot alone. Host resources carry no ownership markers, so discovery starts from
 * the snapshot cache and asks each kind whether the thing is still there.
 */
export interface HostKindHandler extends KindHandler {
  /** Reads the live state of what a snapshot describes, or `undefined` when it is gone. */
  reread(snapshot: LiveState, ctx: ProviderContext): Promise<LiveState | undefined>;
}

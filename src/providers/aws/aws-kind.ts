import type { DiscoverContext, KindHandler, LiveState, ProviderContext } from '../contract.ts';

/**
 * An AWS kind: the contract's handler plus what discovery needs. Discovery lists tagged
 * resources once per provider (Tagging API) and hands each ARN to the kind that claims it;
 * kinds the Tagging API does not cover (IAM) list their own.
 */
export interface AwsKindHandler extends KindHandler {
  /** The identity this kind reads for an ARN from the Tagging API, or `undefined` if not its ARN. */
  identityFromArn?(arn: string): string | undefined;
  /** Reads a resource by identity (for discovered resources no longer in config). */
  readIdentity(identity: string, ctx: ProviderContext): Promise<LiveState | undefined>;
  /** Lists this stack's resources of the kind when the Tagging API does not cover it. */
  discoverOwned?(stack: string, ctx: DiscoverContext): Promise<readonly LiveState[]>;
}

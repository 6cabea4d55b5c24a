import type { DiscoverContext, LiveState, ProviderContext } from '../contract.ts';
import { ADDRESS_TAG, STACK_TAG, tagsToRecord, type AwsTag } from './tags.ts';

/**
 * Finds the IAM entities (roles, users or policies) a stack owns. The Resource Groups
 * Tagging API does not return IAM entities, so this lists every entity of the type in the
 * account (paginated) and reads each one's tags: O(entities in the account), not O(pages).
 * IAM list calls do not return tags and have no tag filter, so there is no cheaper way.
 * Entities whose address the plan declares are not read again (the engine reads them).
 */
export async function discoverIamOwned(
  stack: string,
  ctx: DiscoverContext,
  options: {
    /** Every entity's identity (name or ARN), all pages. */
    readonly list: () => AsyncIterable<string>;
    readonly tagsOf: (identity: string) => Promise<readonly AwsTag[] | undefined>;
    readonly read: (identity: string, ctx: ProviderContext) => Promise<LiveState | undefined>;
  },
): Promise<LiveState[]> {
  const found: LiveState[] = [];
  for await (const identity of options.list()) {
    const tags = tagsToRecord(await options.tagsOf(identity));
    if (tags[STACK_TAG] !== stack) continue;
    const address = tags[ADDRESS_TAG];
    if (address !== undefined && ctx.planned?.has(address) === true) continue;
    const live = await options.read(identity, ctx);
    if (live !== undefined) found.push(live);
  }
  return found;
}

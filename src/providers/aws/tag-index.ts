import { paginateGetResources } from './sdk/tagging.ts';
import type { ProviderContext } from '../contract.ts';
import type { AwsClients } from './clients.ts';
import { awsCall } from './errors.ts';
import { STACK_TAG, tagsToRecord } from './tags.ts';

/** Tags by ARN of everything tagged with one stack. */
export type TaggedResources = ReadonlyMap<string, Readonly<Record<string, string>>>;

/**
 * What the Resource Groups Tagging API lists for a stack, fetched once per observation pass
 * (`ctx.observation`) and shared by discovery and every read of that pass: one paginated
 * query instead of one tag read per resource.
 *
 * The Tagging API is eventually consistent, on AWS by up to minutes: a resource missing
 * from it is read in full as before, and one listed with stale tags shows them for a
 * preview; reads while executing changes never use it.
 */
export class TagIndex {
  readonly #clients: AwsClients;
  // Keyed by the pass object, so a pass's listing goes with it (align rounds, repeated previews).
  readonly #passes = new WeakMap<object, Map<string, Promise<TaggedResources>>>();

  constructor(clients: AwsClients) {
    this.#clients = clients;
  }

  /** The listing for `ctx`'s stack in its observation pass; `undefined` outside a pass. */
  forPass(ctx: ProviderContext): Promise<TaggedResources> | undefined {
    if (ctx.observation === undefined) return undefined;
    let byStack = this.#passes.get(ctx.observation);
    if (byStack === undefined) {
      byStack = new Map();
      this.#passes.set(ctx.observation, byStack);
    }
    let listing = byStack.get(ctx.stack);
    if (listing === undefined) {
      listing = listTagged(this.#clients, ctx.stack);
      byStack.set(ctx.stack, listing);
      // A failed listing is not kept: the next read of the pass tries again.
      listing.catch(() => byStack.delete(ctx.stack));
    }
    return listing;
  }
}

/** Lists every resource tagged `runestone:stack=<stack>` with its tags (paginated). */
export async function listTagged(clients: AwsClients, stack: string): Promise<TaggedResources> {
  const found = new Map<string, Record<string, string>>();
  await awsCall('list resources tagged with this stack (Resource Groups Tagging API)', async () => {
    for await (const page of paginateGetResources({ client: clients.tagging() }, { TagFilters: [{ Key: STACK_TAG, Values: [stack] }], ResourcesPerPage: 100 })) {
      for (const mapping of page.ResourceTagMappingList ?? []) {
        if (mapping.ResourceARN !== undefined) found.set(mapping.ResourceARN, tagsToRecord(mapping.Tags));
      }
    }
  });
  return found;
}

import { CreateTagsCommand, DeleteTagsCommand, type EC2Client, type Filter } from './sdk/ec2.ts';
import { awsCall } from './errors.ts';
import { ADDRESS_TAG, recordToTags, STACK_TAG, withOwnership } from './tags.ts';

/** EC2 describe filters that find the resource a stack created for an address. */
export function ownerFilters(stack: string | undefined, address: string): Filter[] {
  return [
    ...(stack === undefined ? [] : [{ Name: `tag:${STACK_TAG}`, Values: [stack] }]),
    // Filter values are patterns; `[` and `]` (in `kind.name[0]`) would be a character class
    // to some implementations, so they match as `?` and callers compare exactly afterwards.
    { Name: `tag:${ADDRESS_TAG}`, Values: [address.replace(/[[\]*?]/g, '?')] },
  ];
}

/** Picks the item whose address tag is exactly `address` (filters match patterns). */
export function exactOwner<T extends { readonly Tags?: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined }>(items: readonly T[] | undefined, address: string): T | undefined {
  return items?.find((item) => item.Tags?.some((tag) => tag.Key === ADDRESS_TAG && tag.Value === address));
}

/** Tag specifications for a create call: the user's tags plus the ownership markers. */
export function tagSpecification(resourceType: 'vpc' | 'subnet' | 'security-group' | 'instance', userTags: Readonly<Record<string, string>>, stack: string, address: string): { ResourceType: typeof resourceType; Tags: { Key: string; Value: string }[] }[] {
  return [{ ResourceType: resourceType, Tags: recordToTags(withOwnership(userTags, stack, address)) }];
}

/** Makes an EC2 resource's tags exactly the user's tags plus the ownership markers. */
export async function syncTags(
  ec2: EC2Client,
  id: string,
  desired: Readonly<Record<string, string>>,
  live: Readonly<Record<string, string>>,
  owner: { readonly stack: string; readonly address: string },
): Promise<void> {
  const stale = Object.keys(live).filter((key) => !(key in desired));
  if (stale.length > 0) await awsCall(`remove tags from ${id}`, () => ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: stale.map((Key) => ({ Key })) })));
  await awsCall(`tag ${id}`, () => ec2.send(new CreateTagsCommand({ Resources: [id], Tags: recordToTags(withOwnership(desired, owner.stack, owner.address)) })));
}

/** The user tags a desired resource declares. */
export function userTagsOf(properties: Readonly<Record<string, unknown>>): Record<string, string> {
  const tags = properties['tags'];
  return tags !== null && typeof tags === 'object' && !Array.isArray(tags) ? (tags as Record<string, string>) : {};
}

/** A string property the schema requires (validated before any provider call). */
export function requiredString(properties: Readonly<Record<string, unknown>>, key: string): string {
  const value = properties[key];
  return typeof value === 'string' ? value : '';
}

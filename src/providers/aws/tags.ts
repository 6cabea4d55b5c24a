/** Tag keys every resource Runestone creates carries. */
export const STACK_TAG = 'runestone:stack';
export const ADDRESS_TAG = 'runestone:address';

/** AWS's usual tag shape. */
export interface AwsTag {
  readonly Key?: string | undefined;
  readonly Value?: string | undefined;
}

/** Tags as a record. */
export function tagsToRecord(tags: readonly AwsTag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
  return out;
}

/** A record as AWS tags, sorted by key. */
export function recordToTags(record: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.keys(record)
    .sort()
    .map((Key) => ({ Key, Value: record[Key] ?? '' }));
}

/** The user's tags plus the ownership markers for `stack` and `address`. */
export function withOwnership(userTags: Readonly<Record<string, string>>, stack: string, address: string): Record<string, string> {
  return { ...userTags, [STACK_TAG]: stack, [ADDRESS_TAG]: address };
}

/** Splits live tags into the user's tags and the ownership marker they carry, if any. */
export function splitOwnership(tags: Readonly<Record<string, string>>): { user: Record<string, string>; owner?: { stack: string; address: string } } {
  const user: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) if (!key.startsWith('runestone:')) user[key] = value;
  const stack = tags[STACK_TAG];
  const address = tags[ADDRESS_TAG];
  return stack === undefined || address === undefined ? { user } : { user, owner: { stack, address } };
}

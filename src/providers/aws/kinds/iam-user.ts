import {
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  ListUserTagsCommand,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListUserPolicies,
  paginateListUsers,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
  type User,
} from '../sdk/iam.ts';
import { ProviderError } from '../../../core/errors.ts';
import { isPlainObject } from '../../../core/json.ts';
import type { DesiredResource, LiveState, ProviderContext } from '../../contract.ts';
import type { AwsKindHandler } from '../aws-kind.ts';
import { readAfterWrite } from '../read-after-write.ts';
import type { AwsClients } from '../clients.ts';
import { awsCall, isAwsError, translateAwsError } from '../errors.ts';
import { discoverIamOwned } from '../iam-ownership.ts';
import { defaultName } from '../names.ts';
import { recordToTags, splitOwnership, tagsToRecord, withOwnership } from '../tags.ts';

const KIND = 'aws:iam:user';

/** JSON Schema of `aws:iam:user` properties. */
export const IAM_USER_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'An IAM user. Changing name or path replaces it.',
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[\\w+=,.@-]{1,64}$', description: 'User name (forces replacement); default: <project>-<environment>-<resource name>' },
    path: { type: 'string', pattern: '^/(.*/)?$', default: '/', description: 'IAM path (forces replacement)' },
    tags: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Your tags; runestone:* tags are added' },
  },
} as const;

/** `aws:iam:user`: a user with a path and tags (credentials and memberships are not managed). */
export function createIamUserKind(clients: () => AwsClients): AwsKindHandler {
  const nameOf = (desired: DesiredResource): string =>
    typeof desired.properties['name'] === 'string' ? desired.properties['name'] : defaultName(desired.stack, desired.name, { max: 64 });

  const readState = async (name: string, ctx?: ProviderContext): Promise<LiveState | undefined> => {
    const iam = clients().iam();
    const options = ctx === undefined ? {} : { abortSignal: ctx.signal };
    let user: User | undefined;
    try {
      user = (await iam.send(new GetUserCommand({ UserName: name }), options)).User;
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
      throw translateAwsError(error, { action: `read IAM user "${name}"` });
    }
    if (user === undefined) return undefined;
    const tags = user.Tags ?? (await awsCall(`read tags of IAM user "${name}"`, () => iam.send(new ListUserTagsCommand({ UserName: name }), options))).Tags;
    const { user: userTags, owner } = splitOwnership(tagsToRecord(tags));
    return {
      identity: name,
      properties: { name, path: user.Path ?? '/', tags: userTags },
      attributes: { arn: user.Arn ?? '', name, id: user.UserId ?? '' },
      ...(owner === undefined ? {} : { owner }),
    };
  };

  const syncTags = async (desired: DesiredResource, live: LiveState, ctx: ProviderContext): Promise<void> => {
    const iam = clients().iam();
    const name = live.identity;
    const userTags = (isPlainObject(desired.properties['tags']) ? desired.properties['tags'] : {}) as Record<string, string>;
    await awsCall(`tag IAM user "${name}"`, () => iam.send(new TagUserCommand({ UserName: name, Tags: recordToTags(withOwnership(userTags, ctx.stack, desired.address)) }), { abortSignal: ctx.signal }));
    const liveTags = isPlainObject(live.properties['tags']) ? (live.properties['tags']) : {};
    const stale = Object.keys(liveTags).filter((key) => !Object.hasOwn(userTags, key));
    if (stale.length > 0) await awsCall(`untag IAM user "${name}"`, () => iam.send(new UntagUserCommand({ UserName: name, TagKeys: stale }), { abortSignal: ctx.signal }));
  };

  return {
    kind: KIND,
    description: 'An IAM user with a path and tags',
    schema: IAM_USER_SCHEMA,
    forceReplace: ['name', 'path'],
    attributes: ['arn', 'name', 'id'],
    marksOwnership: true,

    read: (desired, ctx) => readState(nameOf(desired), ctx),

    plannedAttributes: (desired) => ({ name: nameOf(desired) }),

    async create(desired, ctx) {
      const name = nameOf(desired);
      const props = desired.properties;
      const userTags = (isPlainObject(props['tags']) ? props['tags'] : {}) as Record<string, string>;
      try {
        await clients()
          .iam()
          .send(
            new CreateUserCommand({ UserName: name, Path: typeof props['path'] === 'string' ? props['path'] : '/', Tags: recordToTags(withOwnership(userTags, ctx.stack, desired.address)) }),
            { abortSignal: ctx.signal },
          );
      } catch (error) {
        // Already there: a concurrent commit of the same stack made it first. Converge on it.
        if (!isAwsError(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException')) throw translateAwsError(error, { action: `create IAM user "${name}"` });
        const existing = await readState(name, ctx);
        if (existing?.owner?.stack !== ctx.stack) {
          throw new ProviderError('RS_AWS_E0004', `Cannot create IAM user "${name}": a user with that name already exists`, { hint: 'Set adopt: true to take it over, or pick another name', cause: error });
        }
        await syncTags(desired, existing, ctx);
      }
      return (await readAfterWrite(() => readState(name, ctx), `IAM user "${name}"`, ctx)) ?? missing(name);
    },

    async update(desired, live, _diff, ctx) {
      await syncTags(desired, live, ctx);
      return (await readAfterWrite(() => readState(live.identity, ctx), `IAM user "${live.identity}"`, ctx)) ?? missing(live.identity);
    },

    async delete(live, ctx) {
      const iam = clients().iam();
      const name = live.identity;
      const options = { abortSignal: ctx.signal };
      try {
        // IAM refuses to delete a user that still has policies, groups, keys or a password.
        for await (const page of paginateListAttachedUserPolicies({ client: iam }, { UserName: name })) {
          for (const policy of page.AttachedPolicies ?? []) await iam.send(new DetachUserPolicyCommand({ UserName: name, PolicyArn: policy.PolicyArn }), options);
        }
        for await (const page of paginateListUserPolicies({ client: iam }, { UserName: name })) {
          for (const policyName of page.PolicyNames ?? []) await iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: policyName }), options);
        }
        for await (const page of paginateListGroupsForUser({ client: iam }, { UserName: name })) {
          for (const group of page.Groups ?? []) await iam.send(new RemoveUserFromGroupCommand({ UserName: name, GroupName: group.GroupName }), options);
        }
        for await (const page of paginateListAccessKeys({ client: iam }, { UserName: name })) {
          for (const key of page.AccessKeyMetadata ?? []) await iam.send(new DeleteAccessKeyCommand({ UserName: name, AccessKeyId: key.AccessKeyId }), options);
        }
        try {
          await iam.send(new DeleteLoginProfileCommand({ UserName: name }), options);
        } catch (error) {
          if (!isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
        }
        await iam.send(new DeleteUserCommand({ UserName: name }), options);
      } catch (error) {
        if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return;
        throw translateAwsError(error, { action: `delete IAM user "${name}"` });
      }
    },

    readIdentity: (identity, ctx) => readState(identity, ctx),

    discoverOwned: (stack, ctx) =>
      discoverIamOwned(stack, ctx, {
        async *list() {
          for await (const page of paginateListUsers({ client: clients().iam() }, {})) for (const user of page.Users ?? []) if (user.UserName !== undefined) yield user.UserName;
        },
        tagsOf: async (name) => (await awsCall(`read tags of IAM user "${name}"`, () => clients().iam().send(new ListUserTagsCommand({ UserName: name }), { abortSignal: ctx.signal }))).Tags,
        read: (name, c) => readState(name, c),
      }),
  };
}

function missing(name: string): never {
  throw new ProviderError('RS_AWS_E0006', `IAM user "${name}" vanished right after it was written`, { retryable: true });
}

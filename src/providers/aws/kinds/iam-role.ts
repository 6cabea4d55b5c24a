import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  paginateListRoles,
  type Role,
} from '../sdk/iam.ts';
import { ProviderError } from '../../../core/errors.ts';
import { isPlainObject, type JsonValue } from '../../../core/json.ts';
import type { DesiredResource, LiveState, ProviderContext } from '../../contract.ts';
import type { AwsKindHandler } from '../aws-kind.ts';
import { readAfterWrite } from '../read-after-write.ts';
import type { AwsClients } from '../clients.ts';
import { requiredString, userTagsOf } from '../ec2-common.ts';
import { awsCall, isAwsError, translateAwsError } from '../errors.ts';
import { defaultName } from '../names.ts';
import { policyText, samePolicyShape } from '../policy.ts';
import { ADDRESS_TAG, recordToTags, splitOwnership, STACK_TAG, tagsToRecord, withOwnership } from '../tags.ts';

const KIND = 'aws:iam:role';
const POLICY = { type: ['object', 'string'], description: 'A policy document, as a map or a JSON string' } as const;

/** JSON Schema of `aws:iam:role` properties. */
export const IAM_ROLE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'An IAM role with its trust policy, managed and inline policies. Changing name or path replaces it.',
  type: 'object',
  additionalProperties: false,
  required: ['assume_role_policy'],
  properties: {
    name: { type: 'string', pattern: '^[\\w+=,.@-]{1,64}$', description: 'Role name (forces replacement); default <project>-<environment>-<resource name>' },
    path: { type: 'string', default: '/', description: 'IAM path (forces replacement)' },
    assume_role_policy: { ...POLICY, description: 'The trust policy: who may assume the role' },
    managed_policy_arns: { type: 'array', items: { type: 'string' }, default: [], description: 'Managed policies to attach (others are detached)' },
    inline_policies: { type: 'object', additionalProperties: POLICY, default: {}, description: 'Inline policies by name (others are deleted)' },
    description: { type: 'string', default: '' },
    max_session_duration: { type: 'integer', minimum: 3600, maximum: 43200, default: 3600 },
    tags: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Your tags; runestone:* tags are added' },
  },
} as const;

/** Options for {@link createIamRoleKind}. */
export interface IamRoleKindOptions {
  /** MaxItems per page of the role's policy and instance profile lists; default: the API's (100). */
  readonly pageSize?: number;
}

/** `aws:iam:role`. The Tagging API does not list IAM, so discovery lists roles itself. */
export function createIamRoleKind(clients: () => AwsClients, options: IamRoleKindOptions = {}): AwsKindHandler {
  const paging = (ctx?: ProviderContext): { client: ReturnType<AwsClients['iam']>; pageSize?: number; abortSignal?: AbortSignal } => ({
    client: clients().iam(),
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    ...(ctx === undefined ? {} : { abortSignal: ctx.signal }),
  });

  // Every page (Marker / IsTruncated) of the role's attached managed policies, inline
  // policy names and instance profiles: a role can have more than one page of each.
  const attachedArns = (name: string, ctx?: ProviderContext): Promise<string[]> =>
    awsCall(`list policies of role "${name}"`, async () => {
      const arns: string[] = [];
      for await (const page of paginateListAttachedRolePolicies(paging(ctx), { RoleName: name })) arns.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ''));
      return arns;
    });
  const inlinePolicyNames = (name: string, ctx?: ProviderContext): Promise<string[]> =>
    awsCall(`list inline policies of role "${name}"`, async () => {
      const names: string[] = [];
      for await (const page of paginateListRolePolicies(paging(ctx), { RoleName: name })) names.push(...(page.PolicyNames ?? []));
      return names;
    });
  const instanceProfileNames = (name: string, ctx: ProviderContext): Promise<string[]> =>
    awsCall(`list instance profiles of role "${name}"`, async () => {
      const names: string[] = [];
      for await (const page of paginateListInstanceProfilesForRole(paging(ctx), { RoleName: name })) {
        names.push(...(page.InstanceProfiles ?? []).flatMap((p) => (p.InstanceProfileName === undefined ? [] : [p.InstanceProfileName])));
      }
      return names;
    });

  const nameOf = (desired: DesiredResource): string =>
    typeof desired.properties['name'] === 'string' ? desired.properties['name'] : defaultName(desired.stack, desired.name, { max: 64 });

  const readRole = async (name: string, managed: Readonly<Record<string, unknown>>, ctx?: ProviderContext): Promise<LiveState | undefined> => {
    const iam = clients().iam();
    let role: Role | undefined;
    try {
      role = (await iam.send(new GetRoleCommand({ RoleName: name }), ctx === undefined ? {} : { abortSignal: ctx.signal })).Role;
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
      throw translateAwsError(error, { action: `read role "${name}"` });
    }
    if (role === undefined) return undefined;
    const tags = await awsCall(`read tags of role "${name}"`, () => iam.send(new ListRoleTagsCommand({ RoleName: name })));
    const { user, owner } = splitOwnership(tagsToRecord(tags.Tags));
    const arns = (await attachedArns(name, ctx)).sort();
    const wantedArns = Array.isArray(managed['managed_policy_arns']) ? (managed['managed_policy_arns'] as string[]) : [];
    const inlineNames = await inlinePolicyNames(name, ctx);
    const wantedInline = isPlainObject(managed['inline_policies']) ? managed['inline_policies'] : {};
    const inline: Record<string, JsonValue> = {};
    for (const policyName of inlineNames) {
      const got = await awsCall(`read inline policy "${policyName}" of role "${name}"`, () => iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })));
      inline[policyName] = samePolicyShape(parsePolicy(got.PolicyDocument), wantedInline[policyName] as JsonValue | undefined);
    }
    const properties: Record<string, JsonValue> = {
      name,
      path: role.Path ?? '/',
      assume_role_policy: samePolicyShape(parsePolicy(role.AssumeRolePolicyDocument), managed['assume_role_policy'] as JsonValue | undefined),
      // Same set, shown in the config's order, so order alone is never drift.
      managed_policy_arns: sameSetOrder(arns, wantedArns),
      inline_policies: inline,
      description: role.Description ?? '',
      max_session_duration: role.MaxSessionDuration ?? 3600,
      tags: user,
    };
    return { identity: name, properties, attributes: { arn: role.Arn ?? '', name, id: role.RoleId ?? '' }, ...(owner === undefined ? {} : { owner }) };
  };

  const apply = async (desired: DesiredResource, live: LiveState | undefined, ctx: ProviderContext): Promise<void> => {
    const iam = clients().iam();
    const name = nameOf(desired);
    const props = desired.properties;
    if (live !== undefined) {
      await awsCall(`update the trust policy of role "${name}"`, () => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: policyText(props['assume_role_policy']) })));
      await awsCall(`update role "${name}"`, () =>
        iam.send(new UpdateRoleCommand({ RoleName: name, Description: requiredString(props, 'description'), MaxSessionDuration: Number(props['max_session_duration'] ?? 3600) })),
      );
    }
    const wanted = new Set(Array.isArray(props['managed_policy_arns']) ? (props['managed_policy_arns'] as string[]) : []);
    const have = new Set(Array.isArray(live?.properties['managed_policy_arns']) ? (live.properties['managed_policy_arns'] as string[]) : []);
    for (const arn of wanted) if (!have.has(arn)) await awsCall(`attach ${arn} to role "${name}"`, () => iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn })));
    for (const arn of have) if (!wanted.has(arn)) await awsCall(`detach ${arn} from role "${name}"`, () => iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: arn })));
    const inline = isPlainObject(props['inline_policies']) ? props['inline_policies'] : {};
    const liveInline = isPlainObject(live?.properties['inline_policies']) ? (live.properties['inline_policies'] as Record<string, unknown>) : {};
    for (const [policyName, document] of Object.entries(inline)) {
      await awsCall(`put inline policy "${policyName}" on role "${name}"`, () => iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: policyText(document) })));
    }
    for (const policyName of Object.keys(liveInline)) {
      if (!(policyName in inline)) await awsCall(`delete inline policy "${policyName}" of role "${name}"`, () => iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName })));
    }
    const userTags = userTagsOf(props);
    const liveTags = isPlainObject(live?.properties['tags']) ? (live.properties['tags'] as Record<string, string>) : {};
    const stale = Object.keys(liveTags).filter((key) => !(key in userTags));
    if (stale.length > 0) await awsCall(`untag role "${name}"`, () => iam.send(new UntagRoleCommand({ RoleName: name, TagKeys: stale })));
    await awsCall(`tag role "${name}"`, () => iam.send(new TagRoleCommand({ RoleName: name, Tags: recordToTags(withOwnership(userTags, ctx.stack, desired.address)) })));
  };

  return {
    kind: KIND,
    description: 'An IAM role with its trust policy, managed and inline policies',
    schema: IAM_ROLE_SCHEMA,
    forceReplace: ['name', 'path'],
    attributes: ['arn', 'name', 'id'],
    marksOwnership: true,

    read: (desired, ctx) => readRole(nameOf(desired), desired.properties, ctx),
    plannedAttributes: (desired) => ({ name: nameOf(desired) }),

    async create(desired, ctx) {
      const name = nameOf(desired);
      const props = desired.properties;
      try {
        await clients()
          .iam()
          .send(
            new CreateRoleCommand({
              RoleName: name,
              Path: (requiredString(props, 'path') || '/'),
              AssumeRolePolicyDocument: policyText(props['assume_role_policy']),
              Description: requiredString(props, 'description'),
              MaxSessionDuration: Number(props['max_session_duration'] ?? 3600),
              Tags: recordToTags(withOwnership(userTagsOf(props), ctx.stack, desired.address)),
            }),
            { abortSignal: ctx.signal },
          );
      } catch (error) {
        if (!isAwsError(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException')) throw translateAwsError(error, { action: `create role "${name}"` });
        // A concurrent commit of this stack made it first: converge on it; anything else is refused.
        const existing = await readRole(name, props, ctx);
        if (existing?.owner?.stack !== ctx.stack) {
          throw new ProviderError('RS_AWS_E0004', `Cannot create role "${name}": a role with that name already exists`, { hint: 'Set adopt: true to take it over, or pick another name', cause: error });
        }
      }
      await apply(desired, await readAfterWrite(() => readRole(name, props, ctx), `role "${name}"`, ctx), ctx);
      return (await readAfterWrite(() => readRole(name, props, ctx), `role "${name}"`, ctx)) ?? vanished(name);
    },

    async update(desired, live, _diff, ctx) {
      await apply(desired, live, ctx);
      return (await readAfterWrite(() => readRole(nameOf(desired), desired.properties, ctx), `role "${nameOf(desired)}"`, ctx)) ?? vanished(nameOf(desired));
    },

    async delete(live, ctx) {
      const iam = clients().iam();
      const name = live.identity;
      const current = await readRole(name, {}, ctx);
      if (current === undefined) return;
      for (const arn of current.properties['managed_policy_arns'] as string[]) await awsCall(`detach ${arn} from role "${name}"`, () => iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: arn })));
      for (const policyName of Object.keys(current.properties['inline_policies'] as Record<string, unknown>)) {
        await awsCall(`delete inline policy "${policyName}" of role "${name}"`, () => iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName })));
      }
      // AWS refuses to delete a role still in an instance profile (DeleteConflict). The
      // profiles are not this resource's: take the role out of them, leave them be.
      for (const profile of await instanceProfileNames(name, ctx)) {
        await awsCall(`remove role "${name}" from instance profile "${profile}"`, () =>
          iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: profile, RoleName: name }), { abortSignal: ctx.signal }),
        );
        ctx.output(`removed role "${name}" from instance profile "${profile}"`);
      }
      await awsCall(`delete role "${name}"`, () => iam.send(new DeleteRoleCommand({ RoleName: name }), { abortSignal: ctx.signal }));
    },

    readIdentity: (identity, ctx) => readRole(identity, {}, ctx),

    // The Tagging API does not cover IAM: list roles and read each one's tags. This is
    // O(roles in the account), unlike the single tagged query every other kind shares.
    async discoverOwned(stack, ctx) {
      const iam = clients().iam();
      const found: LiveState[] = [];
      await awsCall('list IAM roles', async () => {
        for await (const page of paginateListRoles({ client: iam }, {})) {
          for (const role of page.Roles ?? []) {
            if (role.RoleName === undefined || (role.Path ?? '/').startsWith('/aws-service-role/')) continue;
            const tags = tagsToRecord((await iam.send(new ListRoleTagsCommand({ RoleName: role.RoleName }))).Tags);
            if (tags[STACK_TAG] !== stack) continue;
            // Declared in the plan: the engine reads it itself and ignores it here.
            const address = tags[ADDRESS_TAG];
            if (address !== undefined && ctx.planned?.has(address) === true) continue;
            const live = await readRole(role.RoleName, {}, ctx);
            if (live !== undefined) found.push(live);
          }
        }
      });
      return found;
    },
  };
}

function parsePolicy(document: string | undefined): JsonValue {
  if (document === undefined) return null;
  const text = document.trimStart().startsWith('{') ? document : decodeURIComponent(document);
  return JSON.parse(text) as JsonValue;
}



function sameSetOrder(live: readonly string[], desired: readonly string[]): string[] {
  const sameSet = live.length === desired.length && desired.every((item) => live.includes(item));
  return sameSet ? [...desired] : [...live];
}

function vanished(name: string): never {
  throw new ProviderError('RS_AWS_E0006', `Role "${name}" vanished right after it was written`, { retryable: true });
}

import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  paginateListEntitiesForPolicy,
  paginateListPolicies,
  TagPolicyCommand,
  UntagPolicyCommand,
  type IAMClient,
  type Policy,
} from '../sdk/iam.ts';
import { GetCallerIdentityCommand } from '../sdk/sts.ts';
import { ProviderError } from '../../../core/errors.ts';
import { isPlainObject, type JsonObject, type JsonValue } from '../../../core/json.ts';
import type { DesiredResource, FieldDiff, LiveState, ProviderContext } from '../../contract.ts';
import type { AwsKindHandler } from '../aws-kind.ts';
import { readAfterWrite } from '../read-after-write.ts';
import type { AwsClients } from '../clients.ts';
import { awsCall, isAwsError, translateAwsError } from '../errors.ts';
import { discoverIamOwned } from '../iam-ownership.ts';
import { defaultName } from '../names.ts';
import { isSameDocument, parseIamDocument } from '../policy-documents.ts';
import { policyText, samePolicyShape } from '../policy.ts';
import { recordToTags, splitOwnership, tagsToRecord, withOwnership } from '../tags.ts';

const KIND = 'aws:iam:policy';

// IAM keeps at most five versions of a managed policy.
const MAX_VERSIONS = 5;

/** JSON Schema of `aws:iam:policy` properties. */
export const IAM_POLICY_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A customer managed IAM policy. Changing name, path or description replaces it; changing the document adds a new default version.',
  type: 'object',
  additionalProperties: false,
  required: ['document'],
  properties: {
    name: { type: 'string', pattern: '^[\\w+=,.@-]{1,128}$', description: 'Policy name (forces replacement); default: <project>-<environment>-<resource name>' },
    path: { type: 'string', pattern: '^/(.*/)?$', default: '/', description: 'IAM path (forces replacement)' },
    description: { type: 'string', maxLength: 1000, default: '', description: 'Description (IAM cannot change it: forces replacement)' },
    document: { type: ['object', 'string'], description: 'Policy document, as a map or a JSON string; a change becomes a new default version (the oldest is pruned at five)' },
    tags: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Your tags; runestone:* tags are added' },
  },
} as const;

/** `aws:iam:policy`: a customer managed policy whose document changes become new default versions. */
export function createIamPolicyKind(clients: () => AwsClients): AwsKindHandler {
  let account: Promise<string> | undefined;
  // Policies are addressed by ARN, which holds the account id: ask STS once per provider.
  const accountId = (): Promise<string> =>
    (account ??= awsCall('read the AWS account id with STS GetCallerIdentity', async () => (await clients().sts().send(new GetCallerIdentityCommand({}))).Account ?? ''));

  const nameOf = (desired: DesiredResource): string =>
    typeof desired.properties['name'] === 'string' ? desired.properties['name'] : defaultName(desired.stack, desired.name, { max: 128 });
  const pathOf = (desired: DesiredResource): string => (typeof desired.properties['path'] === 'string' ? desired.properties['path'] : '/');
  const arnOf = async (desired: DesiredResource): Promise<string> => `arn:aws:iam::${await accountId()}:policy${pathOf(desired)}${nameOf(desired)}`;

  const readState = async (arn: string, managed: JsonObject, ctx?: ProviderContext): Promise<LiveState | undefined> => {
    const iam = clients().iam();
    const options = ctx === undefined ? {} : { abortSignal: ctx.signal };
    let policy: Policy | undefined;
    try {
      policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }), options)).Policy;
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
      throw translateAwsError(error, { action: `read IAM policy "${arn}"` });
    }
    if (policy === undefined) return undefined;
    const tags = policy.Tags ?? (await awsCall(`read tags of IAM policy "${arn}"`, () => iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }), options))).Tags;
    const { user, owner } = splitOwnership(tagsToRecord(tags));
    const version = await awsCall(`read the default version of IAM policy "${arn}"`, () =>
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId ?? 'v1' }), options),
    );
    const name = policy.PolicyName ?? '';
    const properties: Record<string, JsonValue> = {
      name,
      path: policy.Path ?? '/',
      description: policy.Description ?? '',
      document: samePolicyShape(parseIamDocument(version.PolicyVersion?.Document ?? '{}'), managed['document']),
      tags: user,
    };
    return { identity: arn, properties, attributes: { arn, name }, ...(owner === undefined ? {} : { owner }) };
  };

  const syncTags = async (desired: DesiredResource, live: LiveState, ctx: ProviderContext): Promise<void> => {
    const iam = clients().iam();
    const arn = live.identity;
    const userTags = (isPlainObject(desired.properties['tags']) ? desired.properties['tags'] : {}) as Record<string, string>;
    await awsCall(`tag IAM policy "${arn}"`, () => iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: recordToTags(withOwnership(userTags, ctx.stack, desired.address)) }), { abortSignal: ctx.signal }));
    const liveTags = isPlainObject(live.properties['tags']) ? (live.properties['tags']) : {};
    const stale = Object.keys(liveTags).filter((key) => !Object.hasOwn(userTags, key));
    if (stale.length > 0) await awsCall(`untag IAM policy "${arn}"`, () => iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: stale }), { abortSignal: ctx.signal }));
  };

  const update = async (desired: DesiredResource, live: LiveState, _diff: readonly FieldDiff[], ctx: ProviderContext): Promise<LiveState> => {
    const arn = live.identity;
    if (!isSameDocument(live.properties['document'], desired.properties['document'])) await addDefaultVersion(clients().iam(), arn, policyText(desired.properties['document']), ctx);
    await syncTags(desired, live, ctx);
    return (await readAfterWrite(() => readState(arn, desired.properties, ctx), `IAM policy "${arn}"`, ctx)) ?? missing(arn);
  };

  return {
    kind: KIND,
    description: 'A customer managed IAM policy; a document change becomes a new default version',
    schema: IAM_POLICY_SCHEMA,
    forceReplace: ['name', 'path', 'description'],
    attributes: ['arn', 'name'],
    marksOwnership: true,

    async read(desired, ctx) {
      return readState(await arnOf(desired), desired.properties, ctx);
    },

    plannedAttributes: (desired) => ({ name: nameOf(desired) }),

    async create(desired, ctx) {
      const name = nameOf(desired);
      const props = desired.properties;
      const arn = await arnOf(desired);
      const userTags = (isPlainObject(props['tags']) ? props['tags'] : {}) as Record<string, string>;
      try {
        await clients()
          .iam()
          .send(
            new CreatePolicyCommand({
              PolicyName: name,
              Path: pathOf(desired),
              PolicyDocument: policyText(props['document']),
              ...(typeof props['description'] === 'string' && props['description'] !== '' ? { Description: props['description'] } : {}),
              Tags: recordToTags(withOwnership(userTags, ctx.stack, desired.address)),
            }),
            { abortSignal: ctx.signal },
          );
      } catch (error) {
        // Already there: a concurrent commit of the same stack made it first. Converge on it.
        if (!isAwsError(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException')) throw translateAwsError(error, { action: `create IAM policy "${name}"` });
        const existing = await readState(arn, props, ctx);
        if (existing?.owner?.stack !== ctx.stack) {
          throw new ProviderError('RS_AWS_E0004', `Cannot create IAM policy "${name}": a policy with that name already exists`, { hint: 'Set adopt: true to take it over, or pick another name', cause: error });
        }
        return update(desired, existing, [], ctx);
      }
      return (await readAfterWrite(() => readState(arn, props, ctx), `IAM policy "${arn}"`, ctx)) ?? missing(arn);
    },

    update,

    async delete(live, ctx) {
      const iam = clients().iam();
      const arn = live.identity;
      const options = { abortSignal: ctx.signal };
      try {
        // IAM refuses to delete a policy that is attached or has non-default versions.
        for await (const page of paginateListEntitiesForPolicy({ client: iam }, { PolicyArn: arn })) {
          for (const role of page.PolicyRoles ?? []) await iam.send(new DetachRolePolicyCommand({ RoleName: role.RoleName, PolicyArn: arn }), options);
          for (const user of page.PolicyUsers ?? []) await iam.send(new DetachUserPolicyCommand({ UserName: user.UserName, PolicyArn: arn }), options);
          for (const group of page.PolicyGroups ?? []) await iam.send(new DetachGroupPolicyCommand({ GroupName: group.GroupName, PolicyArn: arn }), options);
        }
        const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }), options)).Versions ?? [];
        for (const version of versions.filter((v) => v.IsDefaultVersion !== true)) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: version.VersionId }), options);
        await iam.send(new DeletePolicyCommand({ PolicyArn: arn }), options);
      } catch (error) {
        if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return;
        throw translateAwsError(error, { action: `delete IAM policy "${arn}"` });
      }
    },

    readIdentity: (identity, ctx) => readState(identity, {}, ctx),

    discoverOwned: (stack, ctx) =>
      discoverIamOwned(stack, ctx, {
        async *list() {
          for await (const page of paginateListPolicies({ client: clients().iam() }, { Scope: 'Local' })) for (const policy of page.Policies ?? []) if (policy.Arn !== undefined) yield policy.Arn;
        },
        tagsOf: async (arn) => (await awsCall(`read tags of IAM policy "${arn}"`, () => clients().iam().send(new ListPolicyTagsCommand({ PolicyArn: arn }), { abortSignal: ctx.signal }))).Tags,
        read: (arn, c) => readState(arn, {}, c),
      }),
  };
}

/** Makes `document` the default version, first deleting the oldest non-default one when IAM's five are used. */
async function addDefaultVersion(iam: IAMClient, arn: string, document: string, ctx: ProviderContext): Promise<void> {
  const options = { abortSignal: ctx.signal };
  await awsCall(`add a version to IAM policy "${arn}"`, async () => {
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }), options)).Versions ?? [];
    if (versions.length >= MAX_VERSIONS) {
      const oldest = versions.filter((v) => v.IsDefaultVersion !== true).sort((a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0) || versionNumber(a.VersionId) - versionNumber(b.VersionId))[0];
      if (oldest !== undefined) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: oldest.VersionId }), options);
    }
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: document, SetAsDefault: true }), options);
  });
}

function versionNumber(id: string | undefined): number {
  return Number(id?.replace(/^v/, '') ?? 0);
}

function missing(arn: string): never {
  throw new ProviderError('RS_AWS_E0006', `IAM policy "${arn}" vanished right after it was written`, { retryable: true });
}

import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketLifecycleCommand,
  DeleteObjectsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
} from '../sdk/s3.ts';
import { ProviderError } from '../../../core/errors.ts';
import { isPlainObject, type JsonObject, type JsonValue } from '../../../core/json.ts';
import type { DesiredResource, LiveState, ProviderContext } from '../../contract.ts';
import type { AwsKindHandler } from '../aws-kind.ts';
import { readAfterWrite } from '../read-after-write.ts';
import type { AwsClients } from '../clients.ts';
import { awsCall, isAwsError, translateAwsError } from '../errors.ts';
import { defaultName } from '../names.ts';
import { samePolicyShape } from '../policy.ts';
import { recordToTags, splitOwnership, tagsToRecord, withOwnership } from '../tags.ts';

const KIND = 'aws:s3:bucket';

const PUBLIC_ACCESS_KEYS = ['block_public_acls', 'ignore_public_acls', 'block_public_policy', 'restrict_public_buckets'] as const;

/** JSON Schema of `aws:s3:bucket` properties. */
export const S3_BUCKET_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'An S3 bucket. Changing name replaces it.',
  type: 'object',
  additionalProperties: false,
  properties: {
    name: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
      description: 'Bucket name (forces replacement); default: <project>-<environment>-<resource name>',
    },
    versioning: { type: 'boolean', default: false, description: 'Keep every version of every object' },
    tags: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Your tags; runestone:* tags are added' },
    encryption: {
      type: 'object',
      additionalProperties: false,
      required: ['algorithm'],
      properties: { algorithm: { enum: ['AES256', 'aws:kms'] }, kms_key_id: { type: 'string' } },
      description: 'Default server-side encryption',
    },
    public_access_block: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(PUBLIC_ACCESS_KEYS.map((key) => [key, { type: 'boolean', default: true }])),
      description: 'Block public access settings (each defaults to true when the block is given)',
    },
    policy: { type: ['object', 'string'], description: 'Bucket policy, as a map or a JSON string' },
    lifecycle_rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: {
          id: { type: 'string' },
          prefix: { type: 'string', default: '' },
          enabled: { type: 'boolean', default: true },
          expiration_days: { type: 'integer', minimum: 1 },
          noncurrent_expiration_days: { type: 'integer', minimum: 1 },
        },
      },
    },
    force_destroy: { type: 'boolean', default: false, description: 'Delete every object (and version) when the bucket is deleted' },
  },
} as const;

/** `aws:s3:bucket`: a bucket with versioning, tags, encryption, public access block, policy and lifecycle. */
export function createS3BucketKind(clients: () => AwsClients): AwsKindHandler {
  const nameOf = (desired: DesiredResource): string =>
    typeof desired.properties['name'] === 'string' ? desired.properties['name'] : defaultName(desired.stack, desired.name, { max: 63, lower: true });

  // Existence, ownership and tags: from the observation pass's Tagging API listing when the
  // bucket is in it (no call), else HeadBucket + GetBucketTagging. `undefined`: no such bucket.
  const readTags = async (name: string, ctx?: ProviderContext): Promise<Readonly<Record<string, string>> | undefined> => {
    const listed = ctx === undefined ? undefined : (await clients().tags.forPass(ctx))?.get(`arn:aws:s3:::${name}`);
    if (listed !== undefined) return listed;
    const s3 = clients().s3();
    try {
      await s3.send(new HeadBucketCommand({ Bucket: name }), ctx === undefined ? {} : { abortSignal: ctx.signal });
    } catch (error) {
      if (isAwsError(error, 'NotFound', 'NoSuchBucket')) return undefined;
      if (isAwsError(error, 'Forbidden') || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) {
        throw new ProviderError('RS_AWS_E0004', `Cannot use bucket name "${name}": it exists and belongs to another AWS account`, {
          hint: 'Bucket names are global: choose another name',
        });
      }
      throw translateAwsError(error, { action: `read bucket "${name}"` });
    }
    const tags = await optional(() => s3.send(new GetBucketTaggingCommand({ Bucket: name })), ['NoSuchTagSet', 'NoSuchTagSetError']);
    return tagsToRecord(tags?.TagSet);
  };

  const readState = async (name: string, managed: JsonObject, ctx?: ProviderContext): Promise<LiveState | undefined> => {
    const s3 = clients().s3();
    const tags = await readTags(name, ctx);
    if (tags === undefined) return undefined;
    const { user, owner } = splitOwnership(tags);
    // Also the existence check for a bucket known only from the listing (deleted since: gone).
    const versioning = await optional(() => s3.send(new GetBucketVersioningCommand({ Bucket: name })), ['NoSuchBucket']);
    if (versioning === undefined) return undefined;
    const properties: Record<string, JsonValue> = { name, versioning: versioning.Status === 'Enabled', tags: user, force_destroy: managed['force_destroy'] === true };
    if (managed['encryption'] !== undefined) {
      const got = await optional(() => s3.send(new GetBucketEncryptionCommand({ Bucket: name })), ['ServerSideEncryptionConfigurationNotFoundError']);
      const rule = got?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
      if (rule?.SSEAlgorithm !== undefined) properties['encryption'] = { algorithm: rule.SSEAlgorithm, ...(rule.KMSMasterKeyID === undefined ? {} : { kms_key_id: rule.KMSMasterKeyID }) };
    }
    if (managed['public_access_block'] !== undefined) {
      const got = await optional(() => s3.send(new GetPublicAccessBlockCommand({ Bucket: name })), ['NoSuchPublicAccessBlockConfiguration']);
      const c = got?.PublicAccessBlockConfiguration;
      if (c !== undefined) {
        properties['public_access_block'] = {
          block_public_acls: c.BlockPublicAcls ?? false,
          ignore_public_acls: c.IgnorePublicAcls ?? false,
          block_public_policy: c.BlockPublicPolicy ?? false,
          restrict_public_buckets: c.RestrictPublicBuckets ?? false,
        };
      }
    }
    if (managed['policy'] !== undefined) {
      const got = await optional(() => s3.send(new GetBucketPolicyCommand({ Bucket: name })), ['NoSuchBucketPolicy']);
      if (got?.Policy !== undefined) properties['policy'] = samePolicyShape(JSON.parse(got.Policy) as JsonValue, managed['policy']);
    }
    if (managed['lifecycle_rules'] !== undefined) {
      const got = await optional(() => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name })), ['NoSuchLifecycleConfiguration']);
      properties['lifecycle_rules'] = (got?.Rules ?? []).map((rule) => ({
        id: rule.ID ?? '',
        prefix: rule.Filter?.Prefix ?? '',
        enabled: rule.Status === 'Enabled',
        ...(rule.Expiration?.Days === undefined ? {} : { expiration_days: rule.Expiration.Days }),
        ...(rule.NoncurrentVersionExpiration?.NoncurrentDays === undefined ? {} : { noncurrent_expiration_days: rule.NoncurrentVersionExpiration.NoncurrentDays }),
      }));
    }
    const region = clients().region;
    return {
      identity: name,
      properties,
      attributes: { arn: `arn:aws:s3:::${name}`, name, region },
      ...(owner === undefined ? {} : { owner }),
    };
  };

  const apply = async (desired: DesiredResource, ctx: ProviderContext): Promise<void> => {
    const s3 = clients().s3();
    const name = nameOf(desired);
    const props = desired.properties;
    const userTags = userTagsOf(desired);
    await awsCall(`tag bucket "${name}"`, () =>
      s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: recordToTags(withOwnership(userTags, ctx.stack, desired.address)) } }), { abortSignal: ctx.signal }),
    );
    await awsCall(`set versioning of bucket "${name}"`, () =>
      s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: props['versioning'] === true ? 'Enabled' : 'Suspended' } }), { abortSignal: ctx.signal }),
    );
    const encryption = props['encryption'];
    if (isPlainObject(encryption)) {
      const algorithm = encryption['algorithm'] === 'aws:kms' ? 'aws:kms' : 'AES256';
      const key = typeof encryption['kms_key_id'] === 'string' ? encryption['kms_key_id'] : undefined;
      await awsCall(`set encryption of bucket "${name}"`, () =>
        s3.send(new PutBucketEncryptionCommand({ Bucket: name, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm, ...(key === undefined ? {} : { KMSMasterKeyID: key }) } }] } })),
      );
    }
    const block = props['public_access_block'];
    if (isPlainObject(block)) {
      await awsCall(`set the public access block of bucket "${name}"`, () =>
        s3.send(
          new PutPublicAccessBlockCommand({
            Bucket: name,
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: block['block_public_acls'] !== false,
              IgnorePublicAcls: block['ignore_public_acls'] !== false,
              BlockPublicPolicy: block['block_public_policy'] !== false,
              RestrictPublicBuckets: block['restrict_public_buckets'] !== false,
            },
          }),
        ),
      );
    }
    const policy = props['policy'];
    if (policy !== undefined) {
      const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
      await awsCall(`set the policy of bucket "${name}"`, () => s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: text })));
    }
    const rules = props['lifecycle_rules'];
    if (Array.isArray(rules)) {
      if (rules.length === 0) await awsCall(`remove lifecycle rules of bucket "${name}"`, () => s3.send(new DeleteBucketLifecycleCommand({ Bucket: name })));
      else {
        await awsCall(`set lifecycle rules of bucket "${name}"`, () =>
          s3.send(
            new PutBucketLifecycleConfigurationCommand({
              Bucket: name,
              LifecycleConfiguration: {
                Rules: rules.filter(isPlainObject).map((rule) => ({
                  ID: String(rule['id']),
                  Filter: { Prefix: typeof rule['prefix'] === 'string' ? rule['prefix'] : '' },
                  Status: rule['enabled'] === false ? 'Disabled' : 'Enabled',
                  ...(typeof rule['expiration_days'] === 'number' ? { Expiration: { Days: rule['expiration_days'] } } : {}),
                  ...(typeof rule['noncurrent_expiration_days'] === 'number' ? { NoncurrentVersionExpiration: { NoncurrentDays: rule['noncurrent_expiration_days'] } } : {}),
                })),
              },
            }),
          ),
        );
      }
    }
  };

  return {
    kind: KIND,
    description: 'An S3 bucket with versioning, tags, encryption, public access block, policy and lifecycle rules',
    schema: S3_BUCKET_SCHEMA,
    forceReplace: ['name'],
    attributes: ['arn', 'name', 'region'],
    marksOwnership: true,

    read: (desired, ctx) => readState(nameOf(desired), desired.properties, ctx),

    plannedAttributes(desired) {
      const name = nameOf(desired);
      return { arn: `arn:aws:s3:::${name}`, name, region: clients().region };
    },

    async create(desired, ctx) {
      const name = nameOf(desired);
      const region = clients().region;
      const location = region === 'us-east-1' ? {} : { LocationConstraint: region as BucketLocationConstraint };
      const createBucket = (tags: boolean): Promise<unknown> =>
        clients()
          .s3()
          .send(
            new CreateBucketCommand({
              Bucket: name,
              CreateBucketConfiguration: { ...location, ...(tags ? { Tags: recordToTags(withOwnership(userTagsOf(desired), ctx.stack, desired.address)) } : {}) },
            }),
            { abortSignal: ctx.signal },
          );
      try {
        // Tagged at create where the API applies it (AWS does, moto ignores it), so a run killed
        // before PutBucketTagging leaves no unmarked bucket; apply() tags again anyway. Tags at
        // create also need s3:TagResource: without it, create untagged as before.
        await createBucket(true).catch((error: unknown) => {
          if (isAwsError(error, 'AccessDenied')) return createBucket(false);
          throw error;
        });
      } catch (error) {
        if (isAwsError(error, 'BucketAlreadyExists')) {
          throw new ProviderError('RS_AWS_E0004', `Cannot create bucket "${name}": the name is taken by another AWS account`, { hint: 'Bucket names are global: set properties.name to something unique', cause: error });
        }
        // Ours already: a concurrent commit of the same stack made it first. Converge on it.
        if (!isAwsError(error, 'BucketAlreadyOwnedByYou')) throw translateAwsError(error, { action: `create bucket "${name}"` });
        const existing = await readState(name, desired.properties, ctx);
        if (existing?.owner !== undefined && existing.owner.stack !== ctx.stack) {
          throw new ProviderError('RS_AWS_E0005', `Cannot create bucket "${name}": it belongs to stack "${existing.owner.stack}"`, { cause: error });
        }
      }
      await apply(desired, ctx);
      return (await readAfterWrite(() => readState(name, desired.properties, ctx), `bucket "${name}"`, ctx)) ?? missing(name);
    },

    async update(desired, _live, _diff, ctx) {
      await apply(desired, ctx);
      const name = nameOf(desired);
      return (await readAfterWrite(() => readState(name, desired.properties, ctx), `bucket "${name}"`, ctx)) ?? missing(name);
    },

    async delete(live, ctx) {
      const s3 = clients().s3();
      const name = live.identity;
      if (live.properties['force_destroy'] === true) await emptyBucket(clients(), name, ctx);
      try {
        await s3.send(new DeleteBucketCommand({ Bucket: name }), { abortSignal: ctx.signal });
      } catch (error) {
        if (isAwsError(error, 'NoSuchBucket', 'NotFound')) return;
        if (isAwsError(error, 'BucketNotEmpty')) {
          throw new ProviderError('RS_AWS_E0006', `Cannot delete bucket "${name}": it is not empty`, { hint: 'Empty it first, or set force_destroy: true to delete its objects too', cause: error });
        }
        throw translateAwsError(error, { action: `delete bucket "${name}"` });
      }
    },

    identityFromArn: (arn) => /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(arn)?.[1],
    readIdentity: (identity, ctx) => readState(identity, {}, ctx),
  };
}

function userTagsOf(desired: DesiredResource): Record<string, string> {
  const tags = desired.properties['tags'];
  return (isPlainObject(tags) ? tags : {}) as Record<string, string>;
}

async function emptyBucket(clients: AwsClients, name: string, ctx: ProviderContext): Promise<void> {
  const s3 = clients.s3();
  await awsCall(`empty bucket "${name}"`, async () => {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (;;) {
      const page = await s3.send(
        new ListObjectVersionsCommand({ Bucket: name, ...(keyMarker === undefined ? {} : { KeyMarker: keyMarker }), ...(versionMarker === undefined ? {} : { VersionIdMarker: versionMarker }) }),
        { abortSignal: ctx.signal },
      );
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key ?? '', ...(v.VersionId === undefined ? {} : { VersionId: v.VersionId }) }));
      if (objects.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: objects, Quiet: true } }), { abortSignal: ctx.signal });
      if (page.IsTruncated !== true) return;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
    }
  });
}

async function optional<T>(call: () => Promise<T>, absent: readonly string[]): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isAwsError(error, ...absent)) return undefined;
    throw translateAwsError(error, { action: 'read bucket settings' });
  }
}


function missing(name: string): never {
  throw new ProviderError('RS_AWS_E0006', `Bucket "${name}" vanished right after it was written`, { retryable: true });
}

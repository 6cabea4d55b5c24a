import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ListTagsForResourceCommand,
  ModifyDBInstanceCommand,
  RemoveTagsFromResourceCommand,
  waitUntilDBInstanceAvailable,
  waitUntilDBInstanceDeleted,
  type DBInstance,
} from '../sdk/rds.ts';
import { ProviderError } from '../../../core/errors.ts';
import { isPlainObject, jsonEqual, type JsonObject, type JsonValue } from '../../../core/json.ts';
import type { DesiredResource, FieldDiff, LiveState, ProviderContext } from '../../contract.ts';
import type { AwsKindHandler } from '../aws-kind.ts';
import type { AwsClients } from '../clients.ts';
import { requiredString, userTagsOf } from '../ec2-common.ts';
import { awsCall, isAwsError, translateAwsError } from '../errors.ts';
import { defaultName } from '../names.ts';
import { recordToTags, splitOwnership, tagsToRecord, withOwnership } from '../tags.ts';

const KIND = 'aws:rds:instance';
const DEFAULT_RETENTION_DAYS = 7;
const DEFAULT_ENGINE = 'postgres';
const DEFAULT_INSTANCE_CLASS = 'db.t3.micro';
// The AWS console's default master user names: "postgres" for PostgreSQL engines, "admin"
// for every other engine.
const POSTGRES_ENGINES = ['postgres', 'aurora-postgresql'];
// Real instances take minutes to become available or to go away; moto is instant.
const MAX_WAIT_SECONDS = 3600;

/** JSON Schema of `aws:rds:instance` properties. */
export const RDS_INSTANCE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description:
    'An RDS database instance. Changing identifier, engine, engine_version or username replaces it. Without password, RDS keeps the master password in Secrets Manager.',
  type: 'object',
  additionalProperties: false,
  properties: {
    identifier: {
      type: 'string',
      pattern: '^[a-z](?:-?[a-z0-9])*$',
      maxLength: 63,
      description: 'DB instance identifier (forces replacement); default: <project>-<environment>-<resource name>',
    },
    engine: { type: 'string', default: DEFAULT_ENGINE, description: 'Database engine, e.g. postgres or mysql (forces replacement)' },
    engine_version: { type: 'string', description: 'Engine version, e.g. 16.3 (forces replacement); default: the engine default' },
    instance_class: { type: 'string', pattern: '^db\\.', default: DEFAULT_INSTANCE_CLASS, description: 'Instance class, e.g. db.t3.medium' },
    storage_gb: { type: 'integer', minimum: 5, maximum: 65536, default: 20, description: 'Allocated storage in GiB' },
    backup_enabled: { type: 'boolean', default: true, description: 'Keep automated backups; false sets the retention to 0 days' },
    backup_retention_days: { type: 'integer', minimum: 1, maximum: 35, default: DEFAULT_RETENTION_DAYS, description: 'Days automated backups are kept when backup_enabled' },
    username: {
      type: 'string',
      pattern: '^[A-Za-z][A-Za-z0-9_]{0,62}$',
      description: 'Master user name (forces replacement); default: postgres for PostgreSQL engines, admin for the others',
    },
    password: {
      type: 'string',
      minLength: 8,
      maxLength: 128,
      description:
        'Master user password; give it from a secret variable. AWS never returns it, so it is written on create and update but never reported as drift. Default: none, and RDS generates the password and keeps it in Secrets Manager (ManageMasterUserPassword; attribute master_user_secret_arn)',
    },
    tags: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Your tags; runestone:* tags are added' },
  },
} as const;

/** The fields compared as whole values (password is write-only; tags are compared per key). */
const COMPARED = ['identifier', 'engine', 'engine_version', 'instance_class', 'storage_gb', 'backup_enabled', 'backup_retention_days', 'username'] as const;

/** `aws:rds:instance`: a database instance with storage, backups, credentials and tags. */
export function createRdsInstanceKind(clients: () => AwsClients): AwsKindHandler {
  const identifierOf = (desired: DesiredResource): string =>
    typeof desired.properties['identifier'] === 'string' ? desired.properties['identifier'] : defaultIdentifier(desired.stack, desired.name);

  const describe = async (identifier: string, ctx?: ProviderContext): Promise<DBInstance | undefined> => {
    try {
      const got = await clients()
        .rds()
        .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }), ctx === undefined ? {} : { abortSignal: ctx.signal });
      return got.DBInstances?.[0];
    } catch (error) {
      if (isAwsError(error, 'DBInstanceNotFound', 'DBInstanceNotFoundFault')) return undefined;
      throw translateAwsError(error, { action: `read DB instance "${identifier}"` });
    }
  };

  const readState = async (identifier: string, managed: JsonObject, ctx?: ProviderContext): Promise<LiveState | undefined> => {
    const db = await describe(identifier, ctx);
    if (db === undefined) return undefined;
    const arn = db.DBInstanceArn ?? '';
    const tags = await awsCall(`read tags of DB instance "${identifier}"`, () => clients().rds().send(new ListTagsForResourceCommand({ ResourceName: arn })));
    const { user, owner } = splitOwnership(tagsToRecord(tags.TagList));
    const retention = db.BackupRetentionPeriod ?? 0;
    const wantedRetention = typeof managed['backup_retention_days'] === 'number' ? managed['backup_retention_days'] : DEFAULT_RETENTION_DAYS;
    const properties: Record<string, JsonValue> = {
      identifier,
      engine: db.Engine ?? '',
      engine_version: db.EngineVersion ?? '',
      instance_class: db.DBInstanceClass ?? '',
      storage_gb: db.AllocatedStorage ?? 0,
      backup_enabled: retention > 0,
      // With backups off AWS keeps no retention; the configured one is what turning them on restores.
      backup_retention_days: retention > 0 ? retention : wantedRetention,
      username: db.MasterUsername ?? '',
      tags: user,
    };
    return {
      identity: identifier,
      properties,
      attributes: { arn, identifier, endpoint: db.Endpoint?.Address ?? '', port: db.Endpoint?.Port ?? 0, master_user_secret_arn: db.MasterUserSecret?.SecretArn ?? null },
      ...(owner === undefined ? {} : { owner }),
    };
  };

  const readOrFail = async (identifier: string, desired: DesiredResource, ctx: ProviderContext): Promise<LiveState> => {
    const live = await readState(identifier, desired.properties, ctx);
    if (live === undefined) throw new ProviderError('RS_AWS_E0006', `DB instance "${identifier}" vanished right after it was written`, { retryable: true });
    return live;
  };

  const waitAvailable = async (identifier: string, ctx: ProviderContext): Promise<void> => {
    await awsCall(`wait for DB instance "${identifier}" to become available`, () =>
      waitUntilDBInstanceAvailable({ client: clients().rds(), maxWaitTime: MAX_WAIT_SECONDS, abortSignal: ctx.signal }, { DBInstanceIdentifier: identifier }),
    );
  };

  const syncTags = async (arn: string, desired: DesiredResource, live: LiveState, ctx: ProviderContext): Promise<void> => {
    const rds = clients().rds();
    const wanted = userTagsOf(desired.properties);
    const liveTags = isPlainObject(live.properties['tags']) ? live.properties['tags'] : {};
    const stale = Object.keys(liveTags).filter((key) => !(key in wanted));
    if (stale.length > 0) await awsCall(`remove tags from DB instance "${live.identity}"`, () => rds.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: stale })));
    await awsCall(`tag DB instance "${live.identity}"`, () => rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: recordToTags(withOwnership(wanted, ctx.stack, desired.address)) })));
  };

  const update = async (desired: DesiredResource, live: LiveState, ctx: ProviderContext): Promise<LiveState> => {
    const identifier = live.identity;
    const props = desired.properties;
    const isManaged = typeof live.attributes['master_user_secret_arn'] === 'string';
    // A given password is (re)written, and takes the password back from Secrets Manager;
    // without one, RDS manages it (switched on once, then left alone).
    const password =
      typeof props['password'] === 'string'
        ? { MasterUserPassword: props['password'], ...(isManaged ? { ManageMasterUserPassword: false } : {}) }
        : isManaged
          ? {}
          : { ManageMasterUserPassword: true };
    await awsCall(`modify DB instance "${identifier}"`, () =>
      clients()
        .rds()
        .send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: identifier,
            DBInstanceClass: requiredString(props, 'instance_class'),
            AllocatedStorage: storageOf(props),
            BackupRetentionPeriod: retentionOf(props),
            ...password,
            ApplyImmediately: true,
          }),
          { abortSignal: ctx.signal },
        ),
    );
    const arn = live.attributes['arn'];
    await syncTags(typeof arn === 'string' ? arn : '', desired, live, ctx);
    await waitAvailable(identifier, ctx);
    return readOrFail(identifier, desired, ctx);
  };

  return {
    kind: KIND,
    description: 'An RDS database instance with engine, class, storage, backups, master credentials and tags',
    schema: RDS_INSTANCE_SCHEMA,
    forceReplace: ['identifier', 'engine', 'engine_version', 'username'],
    attributes: ['arn', 'identifier', 'endpoint', 'port', 'master_user_secret_arn'],
    marksOwnership: true,

    read: (desired, ctx) => readState(identifierOf(desired), desired.properties, ctx),

    diff: (desired, live) => [...diffInstance(desired.properties, live.properties), ...diffPasswordManagement(desired.properties, live)],

    plannedAttributes(desired) {
      const identifier = identifierOf(desired);
      return { identifier };
    },

    async create(desired, ctx) {
      const identifier = identifierOf(desired);
      const props = desired.properties;
      try {
        await clients()
          .rds()
          .send(
            new CreateDBInstanceCommand({
              DBInstanceIdentifier: identifier,
              Engine: requiredString(props, 'engine'),
              ...(typeof props['engine_version'] === 'string' ? { EngineVersion: props['engine_version'] } : {}),
              DBInstanceClass: requiredString(props, 'instance_class'),
              AllocatedStorage: storageOf(props),
              BackupRetentionPeriod: retentionOf(props),
              MasterUsername: usernameOf(props),
              ...(typeof props['password'] === 'string' ? { MasterUserPassword: props['password'] } : { ManageMasterUserPassword: true }),
              Tags: recordToTags(withOwnership(userTagsOf(props), ctx.stack, desired.address)),
            }),
            { abortSignal: ctx.signal },
          );
      } catch (error) {
        // Ours already: a concurrent commit of the same stack made it first. Converge on it.
        if (!isAwsError(error, 'DBInstanceAlreadyExists', 'DBInstanceAlreadyExistsFault')) throw translateAwsError(error, { action: `create DB instance "${identifier}"` });
        const existing = await readOrFail(identifier, desired, ctx);
        if (existing.owner?.stack !== ctx.stack) {
          throw new ProviderError('RS_AWS_E0005', `Cannot create DB instance "${identifier}": it was created meanwhile ${existing.owner === undefined ? 'outside Runestone' : `by stack "${existing.owner.stack}"`}`, {
            hint: 'Give this resource another identifier, or set adopt: true to take an unmarked instance over',
            cause: error,
          });
        }
        return update(desired, existing, ctx);
      }
      await waitAvailable(identifier, ctx);
      return readOrFail(identifier, desired, ctx);
    },

    update: (desired, live, _diff, ctx) => update(desired, live, ctx),

    async delete(live, ctx) {
      const identifier = live.identity;
      try {
        await clients()
          .rds()
          .send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: identifier, SkipFinalSnapshot: true, DeleteAutomatedBackups: true }), { abortSignal: ctx.signal });
      } catch (error) {
        if (isAwsError(error, 'DBInstanceNotFound', 'DBInstanceNotFoundFault')) return;
        throw translateAwsError(error, { action: `delete DB instance "${identifier}"` });
      }
      await awsCall(`wait for DB instance "${identifier}" to be deleted`, () =>
        waitUntilDBInstanceDeleted({ client: clients().rds(), maxWaitTime: MAX_WAIT_SECONDS, abortSignal: ctx.signal }, { DBInstanceIdentifier: identifier }),
      );
    },

    identityFromArn: (arn) => /^arn:aws[a-z-]*:rds:[^:]*:[^:]*:db:([^:]+)$/.exec(arn)?.[1],
    readIdentity: (identity, ctx) => readState(identity, {}, ctx),
  };
}

/**
 * RDS's identifier rules: a letter first, then letters, digits and single hyphens, 63 at most
 * (`shop/prod` + `orders.db` → `shop-prod-orders-db`).
 */
function defaultIdentifier(stack: string | undefined, name: string): string {
  const base = defaultName(stack, name, { max: 63, lower: true })
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '');
  return base.slice(0, 63).replace(/-+$/, '');
}

/** The master user name: the configured one, else the AWS console's default for the engine. */
function usernameOf(props: JsonObject): string {
  if (typeof props['username'] === 'string') return props['username'];
  const engine = typeof props['engine'] === 'string' ? props['engine'] : DEFAULT_ENGINE;
  return POSTGRES_ENGINES.includes(engine) ? 'postgres' : 'admin';
}

function storageOf(props: JsonObject): number {
  return typeof props['storage_gb'] === 'number' ? props['storage_gb'] : 20;
}

function retentionOf(props: JsonObject): number {
  if (props['backup_enabled'] === false) return 0;
  return typeof props['backup_retention_days'] === 'number' ? props['backup_retention_days'] : DEFAULT_RETENTION_DAYS;
}

/**
 * Compares the managed fields, as the engine's structural diff does, but never the password
 * (AWS does not return it) and tags key by key (`has extra tag "env=qa"`).
 */
function diffInstance(desired: JsonObject, live: JsonObject): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const key of COMPARED) {
    const want = desired[key];
    if (want === undefined) continue;
    const have = live[key];
    if (have !== undefined && jsonEqual(want, have)) continue;
    diffs.push({ path: `/${key}`, before: have, after: want, forcesReplace: false });
  }
  const wantTags = isPlainObject(desired['tags']) ? desired['tags'] : {};
  const haveTags = isPlainObject(live['tags']) ? live['tags'] : {};
  for (const [key, want] of Object.entries(wantTags)) {
    const have = haveTags[key];
    if (have === want) continue;
    diffs.push({
      path: `/tags/${escapeKey(key)}`,
      before: have,
      after: want,
      forcesReplace: false,
      ...(have === undefined ? { description: `is missing tag "${key}=${tagText(want)}"` } : {}),
    });
  }
  for (const [key, have] of Object.entries(haveTags)) {
    if (Object.hasOwn(wantTags, key)) continue;
    diffs.push({ path: `/tags/${escapeKey(key)}`, before: have, after: undefined, forcesReplace: false, description: `has extra tag "${key}=${tagText(have)}"` });
  }
  return diffs;
}

/**
 * Who holds the master password is drift when it differs from the config: no password
 * means RDS manages it in Secrets Manager; a password means it is set by hand. The password
 * itself is never compared (AWS does not return it).
 */
function diffPasswordManagement(desired: JsonObject, live: LiveState): FieldDiff[] {
  const wantManaged = typeof desired['password'] !== 'string';
  const isManaged = typeof live.attributes['master_user_secret_arn'] === 'string';
  if (wantManaged === isManaged) return [];
  const state = (managed: boolean): string => (managed ? 'managed by RDS in Secrets Manager' : 'set by hand');
  return [
    {
      path: '/password',
      before: state(isManaged),
      after: state(wantManaged),
      forcesReplace: false,
      description: `master password is ${state(isManaged)} (expected ${state(wantManaged)}${wantManaged ? ', as no password is given' : ''})`,
    },
  ];
}

// JSON pointer escaping (RFC 6901) for a tag key.
function escapeKey(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function tagText(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

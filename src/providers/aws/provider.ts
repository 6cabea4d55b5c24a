import { GetCallerIdentityCommand } from './sdk/sts.ts';
import type { JsonObject } from '../../core/json.ts';
import type { DiscoverContext, KindHandler, OwnedResource, Provider } from '../contract.ts';
import type { ProviderType } from '../registry.ts';
import type { AwsKindHandler } from './aws-kind.ts';
import { AwsClients, inCallScope, type CallCounter } from './clients.ts';
import { AWS_CONFIG_SCHEMA, readAwsConfig } from './config.ts';
import { awsCall } from './errors.ts';
import { createEc2InstanceKind } from './kinds/ec2-instance.ts';
import { createEc2SecurityGroupKind } from './kinds/ec2-security-group.ts';
import { createEc2SubnetKind } from './kinds/ec2-subnet.ts';
import { createIamPolicyKind } from './kinds/iam-policy.ts';
import { createIamRoleKind } from './kinds/iam-role.ts';
import { createIamUserKind } from './kinds/iam-user.ts';
import { createLambdaFunctionKind } from './kinds/lambda-function.ts';
import { createEc2VpcKind } from './kinds/ec2-vpc.ts';
import { createRdsInstanceKind } from './kinds/rds-instance.ts';
import { createS3BucketKind } from './kinds/s3-bucket.ts';
import { listTagged } from './tag-index.ts';
import { splitOwnership } from './tags.ts';

/** Creates every AWS kind over a clients getter (unused until a provider instance runs). */
export function createAwsKinds(clients: () => AwsClients): readonly AwsKindHandler[] {
  return [
    createS3BucketKind(clients),
    createEc2VpcKind(clients),
    createEc2SubnetKind(clients),
    createEc2SecurityGroupKind(clients),
    createEc2InstanceKind(clients),
    createIamRoleKind(clients),
    createIamUserKind(clients),
    createIamPolicyKind(clients),
    createLambdaFunctionKind(clients),
    createRdsInstanceKind(clients),
  ];
}

function unconfigured(): AwsClients {
  throw new Error('AWS kinds listed for schemas cannot call AWS');
}

/** Options for {@link createAwsProvider}. */
export interface AwsProviderOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Told about every SDK call (benchmarks count calls per verb). */
  readonly countCalls?: CallCounter;
}

/**
 * The `aws` provider: AWS SDK v3 clients per service, the standard credential chain,
 * ownership tags on everything it creates, and discovery through the Resource Groups
 * Tagging API (one paginated query per provider instance) plus per-kind fallbacks.
 */
export function createAwsProvider(config: JsonObject, options: AwsProviderOptions = {}): Provider {
  const clients = new AwsClients(readAwsConfig(config, options.env ?? process.env), options.countCalls === undefined ? {} : { count: options.countCalls });
  const handlers = createAwsKinds(() => clients).map((handler) => settlingRegion(handler, clients));
  return {
    type: 'aws',
    kinds: new Map<string, KindHandler>(handlers.map((handler) => [handler.kind, scoped(handler)])),
    configSchema: AWS_CONFIG_SCHEMA,
    async check(ctx) {
      const identity = await inCallScope(ctx, async () => {
        await clients.resolveRegion();
        return awsCall('check AWS credentials with STS GetCallerIdentity', () => clients.sts().send(new GetCallerIdentityCommand({})));
      });
      return { ok: true, summary: `aws provider ready (account ${identity.Account ?? '?'}, region ${clients.region}${clients.config.endpoint === undefined ? '' : `, endpoint ${clients.config.endpoint}`})` };
    },
    discover: (ctx) =>
      inCallScope(ctx, async () => {
        await clients.resolveRegion();
        return discoverOwned(clients, handlers, ctx);
      }),
  };
}

/**
 * The handler with its AWS-calling methods preceded by {@link AwsClients.resolveRegion}, so
 * a region that only the profile names is known before the first client is made. Methods
 * are called on the original handler, so `this` inside them is unchanged.
 */
function settlingRegion(handler: AwsKindHandler, clients: AwsClients): AwsKindHandler {
  const settled = async <T>(call: () => Promise<T>): Promise<T> => {
    await clients.resolveRegion();
    return call();
  };
  return {
    ...handler,
    read: (desired, ctx) => settled(() => handler.read(desired, ctx)),
    create: (desired, ctx) => settled(() => handler.create(desired, ctx)),
    update: (desired, live, diff, ctx) => settled(() => handler.update(desired, live, diff, ctx)),
    delete: (live, ctx) => settled(() => handler.delete(live, ctx)),
    readIdentity: (identity, ctx) => settled(() => handler.readIdentity(identity, ctx)),
    ...(handler.discoverOwned === undefined
      ? {}
      : { discoverOwned: (stack: string, ctx: DiscoverContext) => settled(async () => (await handler.discoverOwned?.(stack, ctx)) ?? []) }),
  };
}

/** The handler with every call run in its context's scope, so SDK retries are reported to it. */
function scoped(handler: AwsKindHandler): KindHandler {
  return {
    ...handler,
    read: (desired, ctx) => inCallScope(ctx, () => handler.read(desired, ctx)),
    create: (desired, ctx) => inCallScope(ctx, () => handler.create(desired, ctx)),
    update: (desired, live, diff, ctx) => inCallScope(ctx, () => handler.update(desired, live, diff, ctx)),
    delete: (live, ctx) => inCallScope(ctx, () => handler.delete(live, ctx)),
  };
}

// One Tagging API listing (shared with the pass's reads), then a full read only of what the
// plan does not declare: the engine reads declared resources itself, so discovery costs
// O(pages) plus O(orphans), not O(resources).
async function discoverOwned(clients: AwsClients, handlers: readonly AwsKindHandler[], ctx: DiscoverContext): Promise<OwnedResource[]> {
  const found: OwnedResource[] = [];
  const tagged = await (clients.tags.forPass(ctx) ?? listTagged(clients, ctx.stack));
  for (const [arn, tags] of tagged) {
    const { owner } = splitOwnership(tags);
    if (owner?.stack !== ctx.stack || ctx.planned?.has(owner.address) === true) continue;
    for (const handler of handlers) {
      const identity = handler.identityFromArn?.(arn);
      if (identity === undefined) continue;
      const live = await handler.readIdentity(identity, ctx);
      if (live !== undefined) found.push({ address: owner.address, kind: handler.kind, live });
      break;
    }
  }
  for (const handler of handlers) {
    if (handler.discoverOwned === undefined) continue;
    for (const live of await handler.discoverOwned(ctx.stack, ctx)) {
      if (live.owner !== undefined) found.push({ address: live.owner.address, kind: handler.kind, live });
    }
  }
  return found;
}

/** The `aws` provider type for the registry. */
export const AWS_PROVIDER_TYPE: ProviderType = {
  type: 'aws',
  configSchema: AWS_CONFIG_SCHEMA,
  kinds: createAwsKinds(unconfigured),
  create: (config) => createAwsProvider(config),
};

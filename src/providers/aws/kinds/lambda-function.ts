import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
  type Runtime,
} from '../sdk/lambda.ts';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ProviderError } from '../../../core/errors.ts';
import { isPlainObject, jsonEqual, type JsonObject, type JsonValue } from '../../../core/json.ts';
import type { DesiredResource, LiveState, ProviderContext } from '../../contract.ts';
import type { AwsKindHandler } from '../aws-kind.ts';
import { readAfterWrite } from '../read-after-write.ts';
import type { AwsClients } from '../clients.ts';
import { zipSource, type ZipArchive } from '../deterministic-zip.ts';
import { awsCall, isAwsError, translateAwsError } from '../errors.ts';
import { defaultName } from '../names.ts';
import { splitOwnership, withOwnership } from '../tags.ts';

const KIND = 'aws:lambda:function';

// IAM is eventually consistent: a role created a moment ago may not be assumable by Lambda
// yet. CreateFunction is retried after these waits (about 15 s in all); after that the
// error is retryable, so the engine's own retries add more.
const ROLE_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];
// How long to wait for a function to become Active or finish an update.
const MAX_WAIT_SECONDS = 300;

/** JSON Schema of `aws:lambda:function` properties. */
export const LAMBDA_FUNCTION_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A Lambda function whose code is a local file or directory, zipped deterministically. Changing name replaces it.',
  type: 'object',
  additionalProperties: false,
  required: ['runtime', 'handler', 'role', 'source'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Function name (forces replacement); default: <project>-<environment>-<resource name>' },
    runtime: { type: 'string', description: 'Runtime, e.g. nodejs22.x or python3.13' },
    handler: { type: 'string', description: 'Entry point, e.g. index.handler' },
    role: { type: 'string', description: 'ARN of the execution role, usually ${res.role.arn}' },
    source: {
      type: 'string',
      description: 'Local file or directory (relative to the config file) zipped as the code; drift is a different code SHA-256',
    },
    environment: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Environment variables' },
    memory_size: { type: 'integer', minimum: 128, maximum: 10240, default: 128, description: 'Memory in MB' },
    timeout: { type: 'integer', minimum: 1, maximum: 900, default: 3, description: 'Timeout in seconds' },
    tags: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Your tags; runestone:* tags are added' },
  },
} as const;

/** `aws:lambda:function`: code from a local path, configuration and tags. */
export function createLambdaFunctionKind(clients: () => AwsClients): AwsKindHandler {
  const nameOf = (desired: DesiredResource): string =>
    typeof desired.properties['name'] === 'string' ? desired.properties['name'] : defaultName(desired.stack, desired.name, { max: 64 }).replaceAll('.', '-');

  const zipOf = async (desired: DesiredResource, ctx: ProviderContext): Promise<ZipArchive> => {
    const source = text(desired.properties, 'source');
    const full = path.resolve(ctx.baseDir, source);
    try {
      return await zipSource(full);
    } catch (error) {
      throw new ProviderError('RS_AWS_E0008', `Cannot zip the code of Lambda function "${nameOf(desired)}": cannot read "${full}"`, {
        hint: 'Set source to an existing file or directory, relative to the config file',
        cause: error,
      });
    }
  };

  /** Reads a function; `source` is the desired source when the live code matches `code`, else the live code's hash. */
  const readState = async (name: string, managed: JsonObject, code: ZipArchive | undefined, ctx?: ProviderContext): Promise<LiveState | undefined> => {
    let got;
    try {
      got = await clients()
        .lambda()
        .send(new GetFunctionCommand({ FunctionName: name }), ctx === undefined ? {} : { abortSignal: ctx.signal });
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
      throw translateAwsError(error, { action: `read Lambda function "${name}"` });
    }
    const config = got.Configuration;
    if (config === undefined) return undefined;
    const { user, owner } = splitOwnership(got.Tags ?? {});
    const liveSha = config.CodeSha256 ?? '';
    const properties: Record<string, JsonValue> = {
      name,
      runtime: config.Runtime ?? '',
      handler: config.Handler ?? '',
      role: config.Role ?? '',
      source: code !== undefined && code.sha256 === liveSha && typeof managed['source'] === 'string' ? managed['source'] : `code with sha256 ${liveSha}`,
      environment: config.Environment?.Variables ?? {},
      memory_size: config.MemorySize ?? 128,
      timeout: config.Timeout ?? 3,
      tags: user,
    };
    return {
      identity: name,
      properties,
      attributes: { arn: config.FunctionArn ?? '', name, version: config.Version ?? '$LATEST' },
      ...(owner === undefined ? {} : { owner }),
    };
  };

  const settings = (desired: DesiredResource): Settings => {
    const props = desired.properties;
    return {
      Runtime: text(props, 'runtime') as Runtime,
      Handler: text(props, 'handler'),
      Role: text(props, 'role'),
      MemorySize: typeof props['memory_size'] === 'number' ? props['memory_size'] : 128,
      Timeout: typeof props['timeout'] === 'number' ? props['timeout'] : 3,
      Environment: { Variables: (isPlainObject(props['environment']) ? props['environment'] : {}) as Record<string, string> },
    };
  };

  const userTagsOf = (desired: DesiredResource): Record<string, string> => (isPlainObject(desired.properties['tags']) ? desired.properties['tags'] : {}) as Record<string, string>;

  return {
    kind: KIND,
    description: 'A Lambda function with code zipped deterministically from a local file or directory',
    schema: LAMBDA_FUNCTION_SCHEMA,
    forceReplace: ['name'],
    attributes: ['arn', 'name', 'version'],
    marksOwnership: true,

    async read(desired, ctx) {
      return readState(nameOf(desired), desired.properties, await zipOf(desired, ctx), ctx);
    },

    plannedAttributes: (desired) => ({ name: nameOf(desired), version: '$LATEST' }),

    async create(desired, ctx) {
      const lambda = clients().lambda();
      const name = nameOf(desired);
      const code = await zipOf(desired, ctx);
      const input = { FunctionName: name, ...settings(desired), Code: { ZipFile: code.bytes }, Tags: withOwnership(userTagsOf(desired), ctx.stack, desired.address) };
      for (let attempt = 0; ; attempt++) {
        try {
          await lambda.send(new CreateFunctionCommand(input), { abortSignal: ctx.signal });
          break;
        } catch (error) {
          if (isRoleNotReady(error)) {
            const wait = ROLE_RETRY_DELAYS_MS[attempt];
            if (wait === undefined) {
              throw new ProviderError('RS_AWS_E0006', `Cannot create Lambda function "${name}": its role "${input.Role}" cannot be assumed by Lambda yet`, {
                retryable: true,
                hint: 'IAM changes take a few seconds to reach Lambda; check the role trusts lambda.amazonaws.com if this persists',
                cause: error,
              });
            }
            ctx.output(`role "${input.Role}" is not assumable by Lambda yet (IAM is eventually consistent): retrying in ${wait / 1000}s`, 'stderr');
            await delay(wait, undefined, { signal: ctx.signal });
            continue;
          }
          if (!isAwsError(error, 'ResourceConflictException')) throw translateAwsError(error, { action: `create Lambda function "${name}"` });
          // Already there: a concurrent commit of the same stack made it first. Converge on it.
          const existing = await readState(name, desired.properties, code, ctx);
          if (existing?.owner?.stack !== ctx.stack) {
            throw new ProviderError('RS_AWS_E0004', `Cannot create Lambda function "${name}": a function with that name already exists`, { hint: 'Set adopt: true to take it over, or pick another name', cause: error });
          }
          return this.update(desired, existing, [], ctx);
        }
      }
      await awsCall(`wait for Lambda function "${name}" to be active`, () => waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: MAX_WAIT_SECONDS, abortSignal: ctx.signal }, { FunctionName: name }));
      return (await readAfterWrite(() => readState(name, desired.properties, code, ctx), `Lambda function "${name}"`, ctx)) ?? missing(name);
    },

    async update(desired, live, _diff, ctx) {
      const lambda = clients().lambda();
      const name = live.identity;
      const code = await zipOf(desired, ctx);
      const wanted = settings(desired);
      const current = live.properties;
      const settled = (): Promise<unknown> =>
        awsCall(`wait for Lambda function "${name}" to finish updating`, () => waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: MAX_WAIT_SECONDS, abortSignal: ctx.signal }, { FunctionName: name }));
      const configChanged =
        current['runtime'] !== wanted.Runtime ||
        current['handler'] !== wanted.Handler ||
        current['role'] !== wanted.Role ||
        current['memory_size'] !== wanted.MemorySize ||
        current['timeout'] !== wanted.Timeout ||
        !jsonEqual(current['environment'], wanted.Environment.Variables);
      if (configChanged) {
        await awsCall(`update the configuration of Lambda function "${name}"`, () => lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...wanted }), { abortSignal: ctx.signal }));
        await settled();
      }
      if (current['source'] !== desired.properties['source']) {
        await awsCall(`update the code of Lambda function "${name}"`, () => lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: code.bytes }), { abortSignal: ctx.signal }));
        await settled();
      }
      const arn = typeof live.attributes['arn'] === 'string' ? live.attributes['arn'] : name;
      await syncTags(lambda, arn, desired, live, ctx, userTagsOf(desired));
      return (await readAfterWrite(() => readState(name, desired.properties, code, ctx), `Lambda function "${name}"`, ctx)) ?? missing(name);
    },

    async delete(live, ctx) {
      try {
        await clients()
          .lambda()
          .send(new DeleteFunctionCommand({ FunctionName: live.identity }), { abortSignal: ctx.signal });
      } catch (error) {
        if (isAwsError(error, 'ResourceNotFoundException')) return;
        throw translateAwsError(error, { action: `delete Lambda function "${live.identity}"` });
      }
    },

    identityFromArn: (arn) => /^arn:aws[a-z-]*:lambda:[^:]+:\d+:function:([^:]+)$/.exec(arn)?.[1],
    readIdentity: (identity, ctx) => readState(identity, {}, undefined, ctx),
  };
}

async function syncTags(lambda: LambdaClient, arn: string, desired: DesiredResource, live: LiveState, ctx: ProviderContext, userTags: Record<string, string>): Promise<void> {
  await awsCall(`tag Lambda function "${live.identity}"`, () => lambda.send(new TagResourceCommand({ Resource: arn, Tags: withOwnership(userTags, ctx.stack, desired.address) }), { abortSignal: ctx.signal }));
  const liveTags = isPlainObject(live.properties['tags']) ? live.properties['tags'] : {};
  const stale = Object.keys(liveTags).filter((key) => !Object.hasOwn(userTags, key));
  if (stale.length > 0) await awsCall(`untag Lambda function "${live.identity}"`, () => lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: stale }), { abortSignal: ctx.signal }));
}

/** Lambda's answer while a new role has not reached it: "The role defined for the function cannot be assumed by Lambda." */
function isRoleNotReady(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return isAwsError(error, 'InvalidParameterValueException') && typeof message === 'string' && /cannot be assumed/i.test(message);
}

interface Settings {
  readonly Runtime: Runtime;
  readonly Handler: string;
  readonly Role: string;
  readonly MemorySize: number;
  readonly Timeout: number;
  readonly Environment: { readonly Variables: Record<string, string> };
}

function text(properties: JsonObject, key: string): string {
  const value = properties[key];
  return typeof value === 'string' ? value : '';
}

function missing(name: string): never {
  throw new ProviderError('RS_AWS_E0006', `Lambda function "${name}" vanished right after it was written`, { retryable: true });
}

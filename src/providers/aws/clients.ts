import { EC2Client } from './sdk/ec2.ts';
import { IAMClient } from './sdk/iam.ts';
import { LambdaClient } from './sdk/lambda.ts';
import { RDSClient } from './sdk/rds.ts';
import { ResourceGroupsTaggingAPIClient } from './sdk/tagging.ts';
import { S3Client } from './sdk/s3.ts';
import { STSClient } from './sdk/sts.ts';
import { fromNodeProviderChain } from './sdk/credentials.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ProviderContext } from '../contract.ts';
import type { AwsConfig, AwsService } from './config.ts';
import { ServiceLimit } from './service-limit.ts';
import { TagIndex } from './tag-index.ts';

/** The region when neither the config, the environment nor the profile names one. */
const FALLBACK_REGION = 'us-east-1';

/** Counts SDK calls per operation, for benchmarks and tests of call budgets. */
export type CallCounter = (service: AwsService, operation: string) => void;

// The provider call (read, create, discover...) an SDK request is made for. Clients are shared
// by every node of a provider instance, so the retry middleware finds the right
// `ctx.retrying` through the async context rather than through the client.
const CALL_SCOPE = new AsyncLocalStorage<ProviderContext>();

/** Runs `fn` as part of the provider call `ctx`, so SDK retries inside it reach `ctx.retrying`. */
export function inCallScope<T>(ctx: ProviderContext, fn: () => T): T {
  return CALL_SCOPE.run(ctx, fn);
}

type Handler = (args: unknown) => Promise<unknown>;
type MiddlewareContext = { commandName?: string };
type AddMiddleware = (mw: (next: Handler, context: MiddlewareContext) => Handler, options: { step: string; name: string; priority?: string }) => void;

/**
 * One lazily created SDK client per service for a provider instance: the standard
 * credential chain (env, shared files, SSO, assume-role) with the instance's profile,
 * adaptive retry, endpoint overrides (S3 switches to path-style when overridden), and at
 * most `max_concurrency[service]` requests in flight per service.
 *
 * Every client reports each retry the SDK makes (attempt number and the previous attempt's
 * error code) to the `ctx.retrying` of the provider call it runs in (see {@link inCallScope}),
 * which the engine turns into a `provider.retry` event.
 */
export class AwsClients {
  readonly config: AwsConfig;
  /** The stack's tagged resources, listed once per observation pass. */
  readonly tags: TagIndex = new TagIndex(this);
  readonly #clients = new Map<AwsService, unknown>();
  readonly #count: CallCounter | undefined;
  #profileRegion: string | undefined;

  constructor(config: AwsConfig, options: { readonly count?: CallCounter } = {}) {
    this.config = config;
    this.#count = options.count;
  }

  /** The region in use, for ARNs and messages (settled by {@link resolveRegion}). */
  get region(): string {
    return this.config.region ?? this.#profileRegion ?? FALLBACK_REGION;
  }

  /**
   * Settles the region before the first client is made: `region` from the config or
   * AWS_REGION / AWS_DEFAULT_REGION, else the profile's `region` in the shared config file
   * (read by the SDK's own loader), else us-east-1.
   */
  async resolveRegion(): Promise<string> {
    if (this.config.region !== undefined || this.#profileRegion !== undefined) return this.region;
    const probe = new STSClient(this.config.profile === undefined ? {} : { profile: this.config.profile });
    try {
      this.#profileRegion = await probe.config.region();
    } catch {
      // The SDK's loader throws when no source names a region: use the fallback.
      this.#profileRegion = FALLBACK_REGION;
    } finally {
      probe.destroy();
    }
    return this.region;
  }

  s3(): S3Client {
    return this.#get('s3', (base) => new S3Client({ ...base, forcePathStyle: base.endpoint !== undefined }));
  }

  ec2(): EC2Client {
    return this.#get('ec2', (base) => new EC2Client(base));
  }

  iam(): IAMClient {
    return this.#get('iam', (base) => new IAMClient(base));
  }

  rds(): RDSClient {
    return this.#get('rds', (base) => new RDSClient(base));
  }

  lambda(): LambdaClient {
    return this.#get('lambda', (base) => new LambdaClient(base));
  }

  sts(): STSClient {
    return this.#get('sts', (base) => new STSClient(base));
  }

  tagging(): ResourceGroupsTaggingAPIClient {
    return this.#get('tagging', (base) => new ResourceGroupsTaggingAPIClient(base));
  }

  #get<T extends { middlewareStack: { add: (...args: never[]) => void } }>(service: AwsService, make: (base: BaseConfig) => T): T {
    const existing = this.#clients.get(service);
    if (existing !== undefined) return existing as T;
    const endpoint = this.config.endpoints[service] ?? this.config.endpoint;
    const client = make({
      region: this.region,
      credentials: fromNodeProviderChain(this.config.profile === undefined ? {} : { profile: this.config.profile }),
      retryMode: 'adaptive',
      maxAttempts: this.config.maxAttempts,
      ...(endpoint === undefined ? {} : { endpoint }),
    });
    const add = (client.middlewareStack.add as unknown as AddMiddleware).bind(client.middlewareStack);
    const operation = (context: MiddlewareContext): string => (context.commandName ?? 'unknown').replace(/Command$/, '');
    const count = this.#count;
    if (count !== undefined) {
      add(
        (next, context) => (args) => {
          count(service, operation(context));
          return next(args);
        },
        { step: 'initialize', name: 'runestoneCallCounter' },
      );
    }
    add(reportRetries(service, operation), { step: 'finalizeRequest', priority: 'low', name: 'runestoneRetryReporter' });
    // Per attempt, inside the retry loop: a call waiting out its backoff holds no slot.
    const limit = new ServiceLimit(this.config.maxConcurrency[service]);
    add((next) => (args) => limit.run(() => next(args)), { step: 'finalizeRequest', priority: 'low', name: 'runestoneServiceLimit' });
    this.#clients.set(service, client);
    return client;
  }
}

/**
 * A middleware inside the SDK's retry loop (finalizeRequest, below the high-priority retry
 * middleware), so it runs once per attempt: it remembers why an attempt failed, and when
 * the SDK starts another attempt of the same call it reports the retry.
 */
function reportRetries(service: AwsService, operation: (context: MiddlewareContext) => string): (next: Handler, context: MiddlewareContext) => Handler {
  return (next, context) => {
    // One context per `send`, shared by its attempts.
    let attempt = 0;
    let lastCode: string | undefined;
    return async (args) => {
      attempt++;
      if (attempt > 1 && lastCode !== undefined) CALL_SCOPE.getStore()?.retrying?.({ operation: `${service}:${operation(context)}`, attempt, code: lastCode });
      try {
        return await next(args);
      } catch (error) {
        lastCode = errorCode(error);
        throw error;
      }
    };
  };
}

/** The AWS error code of an SDK error, else its HTTP status, else its name. */
function errorCode(error: unknown): string {
  const details = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  const name = typeof details?.name === 'string' ? details.name : undefined;
  if (name !== undefined && name !== 'Error' && name !== 'Unknown' && !/^\d+$/.test(name)) return name;
  if (typeof details?.code === 'string') return details.code;
  const status = details?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? String(status) : (name ?? 'Error');
}

interface BaseConfig {
  readonly region: string;
  readonly credentials: ReturnType<typeof fromNodeProviderChain>;
  readonly retryMode: string;
  readonly maxAttempts: number;
  readonly endpoint?: string;
}

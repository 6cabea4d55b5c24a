import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsConfig, AwsService } from './config.ts';

/** The region when neither the config, the environment nor the profile names one. */
const FALLBACK_REGION = 'us-east-1';

/** Counts SDK calls per operation, for benchmarks and tests of call budgets. */
export type CallCounter = (service: AwsService, operation: string) => void;

/**
 * One lazily created SDK client per service for a provider instance: the standard
 * credential chain (env, shared files, SSO, assume-role) with the instance's profile,
 * adaptive retry, and endpoint overrides (S3 switches to path-style when overridden).
 */
export class AwsClients {
  readonly config: AwsConfig;
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
    const count = this.#count;
    if (count !== undefined) {
      const add = client.middlewareStack.add as unknown as (mw: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>, options: { step: string; name: string }) => void;
      add(
        (next, context) => (args) => {
          count(service, (context.commandName ?? 'unknown').replace(/Command$/, ''));
          return next(args);
        },
        { step: 'initialize', name: 'runestoneCallCounter' },
      );
    }
    this.#clients.set(service, client);
    return client;
  }
}

interface BaseConfig {
  readonly region: string;
  readonly credentials: ReturnType<typeof fromNodeProviderChain>;
  readonly retryMode: string;
  readonly maxAttempts: number;
  readonly endpoint?: string;
}

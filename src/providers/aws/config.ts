import type { JsonObject } from '../../core/json.ts';

/** JSON Schema of a `providers.aws` block (and of aliases such as `aws.west`). */
export const AWS_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    region: { type: 'string', description: 'AWS region; default: AWS_REGION, then AWS_DEFAULT_REGION, then the profile\'s region, then us-east-1' },
    profile: { type: 'string', description: 'Named profile in ~/.aws/config (SSO and assume-role profiles work)' },
    endpoint: { type: 'string', description: 'Endpoint for every service, e.g. an emulator; S3 then uses path-style addressing' },
    endpoints: {
      type: 'object',
      description: 'Per-service endpoints: s3, ec2, iam, rds, lambda, sts, tagging',
      additionalProperties: { type: 'string' },
    },
    max_attempts: { type: 'integer', minimum: 1, maximum: 20, description: 'SDK attempts per call with adaptive retry (default 5)' },
    max_concurrency: {
      type: 'object',
      description: 'Most requests in flight per service (s3, ec2, iam, rds, lambda, sts, tagging); default iam 4, others 16',
      additionalProperties: false,
      properties: Object.fromEntries(['s3', 'ec2', 'iam', 'rds', 'lambda', 'sts', 'tagging'].map((service) => [service, { type: 'integer', minimum: 1, maximum: 256 }])),
    },
  },
} as const satisfies JsonObject;

/** The AWS services Runestone calls. */
export type AwsService = 's3' | 'ec2' | 'iam' | 'rds' | 'lambda' | 'sts' | 'tagging';

/** A validated `providers.aws` block with environment defaults applied. */
export interface AwsConfig {
  readonly region: string | undefined;
  readonly profile: string | undefined;
  /** Endpoint for every service (config `endpoint`, else `AWS_ENDPOINT_URL`). */
  readonly endpoint: string | undefined;
  readonly endpoints: Readonly<Partial<Record<AwsService, string>>>;
  readonly maxAttempts: number;
  /** Most requests in flight per service. */
  readonly maxConcurrency: Readonly<Record<AwsService, number>>;
}

/**
 * Requests in flight per service unless configured. IAM's control plane is shared by the
 * whole account and throttles early, so it gets fewer.
 */
export const DEFAULT_MAX_CONCURRENCY: Readonly<Record<AwsService, number>> = { s3: 16, ec2: 16, iam: 4, rds: 16, lambda: 16, sts: 16, tagging: 16 };

/** Reads a validated config block; `env` supplies AWS_REGION and AWS_ENDPOINT_URL defaults. */
export function readAwsConfig(config: JsonObject, env: Readonly<Record<string, string | undefined>>): AwsConfig {
  const text = (key: string): string | undefined => {
    const value = config[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const endpoints: Partial<Record<AwsService, string>> = {};
  const given = config['endpoints'];
  if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
    for (const [service, url] of Object.entries(given)) if (typeof url === 'string') endpoints[service as AwsService] = url;
  }
  const maxAttempts = typeof config['max_attempts'] === 'number' ? config['max_attempts'] : 5;
  const maxConcurrency: Record<AwsService, number> = { ...DEFAULT_MAX_CONCURRENCY };
  const limits = config['max_concurrency'];
  if (limits !== null && typeof limits === 'object' && !Array.isArray(limits)) {
    for (const [service, limit] of Object.entries(limits)) if (typeof limit === 'number') maxConcurrency[service as AwsService] = limit;
  }
  return {
    region: text('region') ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'],
    profile: text('profile'),
    endpoint: text('endpoint') ?? env['AWS_ENDPOINT_URL'],
    endpoints,
    maxAttempts,
    maxConcurrency,
  };
}

import { ProviderError } from '../../core/errors.ts';

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded', 'SlowDown', 'TooManyRequestsException', 'RequestThrottled', 'ProvisionedThroughputExceededException']);
const CREDENTIALS = new Set(['CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'AuthFailure']);

/** What an AWS error is about, for the message. */
export interface ErrorContext {
  /** e.g. `create bucket "logs"` */
  readonly action: string;
}

/**
 * Translates an AWS SDK error into a `ProviderError` with a stable code, a sentence saying
 * what failed and a hint; throttling and network errors are retryable.
 */
export function translateAwsError(error: unknown, context: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const details = error as { name?: unknown; message?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof details.name === 'string' ? details.name : 'Error';
  const message = typeof details.message === 'string' && details.message !== '' ? details.message : name;
  const status = details.$metadata?.httpStatusCode;
  const code = typeof details.code === 'string' ? details.code : '';
  if (THROTTLING.has(name) || status === 429 || status === 503) {
    return new ProviderError('RS_AWS_E0003', `Cannot ${context.action}: AWS throttled the request (${name})`, { retryable: true, cause: error, hint: 'Lower --parallelism if this persists' });
  }
  if (CREDENTIALS.has(name)) {
    return new ProviderError('RS_AWS_E0001', `Cannot ${context.action}: AWS credentials are missing or were rejected (${name}): ${message}`, { cause: error });
  }
  if (name.startsWith('AccessDenied') || name === 'UnauthorizedOperation' || status === 403) {
    return new ProviderError('RS_AWS_E0002', `Cannot ${context.action}: access denied: ${message}`, { cause: error });
  }
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code) || name === 'TimeoutError') {
    return new ProviderError('RS_AWS_E0007', `Cannot ${context.action}: the AWS endpoint did not answer (${code || name})`, { retryable: true, cause: error });
  }
  if (name.startsWith('Invalid') || name.startsWith('Malformed') || name === 'ValidationError' || name === 'ValidationException') {
    return new ProviderError('RS_AWS_E0008', `Cannot ${context.action}: AWS rejected a value (${name}): ${message}`, { cause: error });
  }
  return new ProviderError('RS_AWS_E0006', `Cannot ${context.action}: ${name}: ${message}`, { cause: error, retryable: status !== undefined && status >= 500 });
}

/** True when an SDK error has one of these names (e.g. `NoSuchBucket`, `NotFound`). */
export function isAwsError(error: unknown, ...names: readonly string[]): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && names.includes(name);
}

/** Runs an AWS call, translating its errors. */
export async function awsCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(error, { action });
  }
}

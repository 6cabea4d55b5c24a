import { ProviderError } from '../../core/index.ts';

/** Node error codes that mean "try again shortly". */
const RETRYABLE_CODES = new Set(['EBUSY', 'EAGAIN', 'ETXTBSY', 'EMFILE', 'ENFILE']);

/** The `code` of a Node system error (`ENOENT`, ...), or `undefined` for anything else. */
export function errnoCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/** True when the error says the path does not exist. */
export function isNotFound(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Wraps a file system failure in a `ProviderError` with a host code: permission problems
 * and busy paths get their own codes (busy ones are retryable), the rest `RS_HOST_E0001`.
 *
 * @param action What was attempted, as a verb phrase: `write`, `read`, `create directory`.
 */
export function toFsError(error: unknown, action: string, path: string): ProviderError {
  const code = errnoCode(error) ?? 'unknown error';
  const detail = error instanceof Error ? error.message : String(error);
  const message = `Cannot ${action} "${path}": ${detail}`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ProviderError('RS_HOST_E0002', message, { cause: error });
  }
  if (RETRYABLE_CODES.has(code)) {
    return new ProviderError('RS_HOST_E0003', message, { cause: error, retryable: true });
  }
  return new ProviderError('RS_HOST_E0001', message, { cause: error });
}

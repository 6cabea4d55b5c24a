import { isRunestoneError, RunestoneError } from '../../core/index.ts';

/**
 * Runs a synchronous SQLite call and turns its failures into `RS_STORE_E0003`, resolving
 * as a promise so the ports stay asynchronous (a PostgreSQL store will need that).
 */
export function guardQuery<T>(action: string, query: () => T): Promise<T> {
  try {
    return Promise.resolve(query());
  } catch (error) {
    if (isRunestoneError(error)) return Promise.reject(error);
    const detail = error instanceof Error ? error.message : String(error);
    return Promise.reject(
      new RunestoneError('RS_STORE_E0003', `Cannot ${action} in the snapshot cache: ${detail}`, {
        cause: error,
        hint: 'Another process may hold the cache locked; retry, or delete the cache file',
      }),
    );
  }
}

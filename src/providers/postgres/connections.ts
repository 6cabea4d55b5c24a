import pg from 'pg';
import { AbortError, ProviderError } from '../../core/errors.ts';
import type { ClusterConnection } from './clusters.ts';

/** A row as pg returns it. */
export type Row = Readonly<Record<string, unknown>>;

/** Runs SQL on one cluster (the admin's maintenance database, or a named database). */
export interface ClusterSession {
  readonly cluster: ClusterConnection;
  /** Runs one statement with `$1` parameters on the maintenance database. */
  query(action: string, sql: string, params?: readonly unknown[]): Promise<readonly Row[]>;
  /** Runs statements in `database` over a short-lived connection (extensions live per database). */
  inDatabase<T>(action: string, database: string, work: (query: (sql: string, params?: readonly unknown[]) => Promise<readonly Row[]>) => Promise<T>): Promise<T>;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', '57P03', '53300']);

/**
 * Translates a pg error into a `ProviderError`: unreachable clusters and "too many
 * connections" are retryable, bad credentials and missing privileges are not. Messages
 * carry PostgreSQL's text and SQLSTATE, never the statement (it may hold a password verifier).
 */
export function translatePgError(error: unknown, action: string, cluster: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const details = error as { code?: unknown; message?: unknown };
  const code = typeof details.code === 'string' ? details.code : '';
  const message = typeof details.message === 'string' ? details.message : String(error);
  if (CONNECTION_ERRORS.has(code) || /timeout|Connection terminated/i.test(message)) {
    return new ProviderError('RS_POSTGRES_E0002', `Cannot ${action}: cluster "${cluster}" did not answer (${code || message})`, { retryable: true, cause: error });
  }
  if (/certificate|self.signed|SSL|TLS/i.test(code) || /certificate|does not support SSL|SSL/i.test(message)) {
    return new ProviderError('RS_POSTGRES_E0008', `Cannot ${action}: TLS with cluster "${cluster}" failed: ${message}`, {
      cause: error,
      hint: 'Give tls.ca_file for a private CA, or set tls.mode to require (encrypt without checking the certificate) or disable',
    });
  }
  if (code === '28P01' || code === '28000') return new ProviderError('RS_POSTGRES_E0003', `Cannot ${action}: cluster "${cluster}" rejected the admin credentials (${code})`, { cause: error });
  if (code === '42501') return new ProviderError('RS_POSTGRES_E0004', `Cannot ${action}: permission denied on cluster "${cluster}": ${message}`, { cause: error });
  // Serialization failures and deadlocks go away on retry.
  const retryable = code === '40001' || code === '40P01' || code === '55006';
  return new ProviderError('RS_POSTGRES_E0005', `Cannot ${action}: ${message}${code === '' ? '' : ` (SQLSTATE ${code})`}`, { cause: error, retryable });
}

/** Opens pools lazily, one per cluster; idle connections never keep the process alive. */
export class ClusterPools {
  readonly #clusters: () => ReadonlyMap<string, ClusterConnection>;
  readonly #pools = new Map<string, pg.Pool>();

  constructor(clusters: () => ReadonlyMap<string, ClusterConnection>) {
    this.#clusters = clusters;
  }

  /** Every configured cluster name. */
  names(): readonly string[] {
    return [...this.#clusters().keys()];
  }

  /**
   * A session on cluster `name`; throws RS_POSTGRES_E0001 when it is not configured. Once
   * `signal` aborts, no further statement starts (RS_POSTGRES_E0009); pg cannot cancel a
   * statement already sent, so that one finishes.
   */
  session(name: string, signal?: AbortSignal): ClusterSession {
    const cluster = this.#clusters().get(name);
    if (cluster === undefined) {
      throw new ProviderError('RS_POSTGRES_E0001', `Unknown PostgreSQL cluster "${name}"`, { hint: `Known clusters: ${this.names().join(', ') || '(none)'}` });
    }
    const options = (database: string): pg.PoolConfig => ({
      host: cluster.host,
      port: cluster.port,
      database,
      user: cluster.user,
      ...(cluster.password === undefined ? {} : { password: cluster.password }),
      ssl: cluster.ssl === false ? false : { ...cluster.ssl },
      connectionTimeoutMillis: 10_000,
      application_name: 'runestone',
    });
    let pool = this.#pools.get(name);
    if (pool === undefined) {
      pool = new pg.Pool({ ...options(cluster.database), max: 4, idleTimeoutMillis: 1_000, allowExitOnIdle: true });
      // An idle client losing its connection must not crash the process; the next query reconnects.
      pool.on('error', () => undefined);
      this.#pools.set(name, pool);
    }
    const shared = pool;
    return {
      cluster,
      async query(action, sql, params = []) {
        checkAborted(signal, action);
        try {
          return (await shared.query(sql, [...params])).rows as Row[];
        } catch (error) {
          throw translatePgError(error, action, name);
        }
      },
      async inDatabase(action, database, work) {
        checkAborted(signal, action);
        const client = new pg.Client(options(database));
        try {
          await client.connect();
          return await work(async (sql, params = []) => {
            checkAborted(signal, action);
            return (await client.query(sql, [...params])).rows as Row[];
          });
        } catch (error) {
          throw translatePgError(error, action, name);
        } finally {
          await client.end().catch(() => undefined);
        }
      },
    };
  }
}

function checkAborted(signal: AbortSignal | undefined, action: string): void {
  if (signal?.aborted === true) throw new AbortError('RS_POSTGRES_E0009', `Cannot ${action}: the run was aborted`);
}

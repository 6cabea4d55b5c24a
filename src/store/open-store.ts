import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { isRunestoneError, RunestoneError } from '../core/index.ts';
import type { RunHistory, SnapshotStore } from '../engine/store-port.ts';
import { applySchema } from './internal/schema.ts';
import { SqliteRunHistory } from './sqlite-history.ts';
import { SqliteSnapshotStore } from './sqlite-snapshots.ts';

/** The file name of the local cache inside the store directory (`.runestone/`). */
export const CACHE_FILE = 'cache.db';

/** An open local store: the snapshot cache and the run history in one SQLite file. */
export interface LocalStore {
  /** Absolute path of the database file. */
  readonly path: string;
  readonly snapshots: SnapshotStore;
  readonly history: RunHistory;
  /** Closes the database; the store must not be used afterwards. */
  close(): void;
}

/** How long a writer waits for another process's lock before failing. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) `<dir>/cache.db` with WAL journaling, so a reader never
 * blocks the writer and two Runestone processes can share it. Deleting the file loses
 * nothing but time: everything in it is re-read from the providers.
 *
 * @throws RunestoneError `RS_STORE_E0001` when the file cannot be opened or is not a
 *   database, `RS_STORE_E0002` when a newer Runestone wrote it.
 *
 * @example
 * const store = openStore('.runestone');
 * try { await store.history.record(run); } finally { store.close(); }
 */
export function openStore(dir: string): LocalStore {
  const path = join(dir, CACHE_FILE);
  let db: DatabaseSync | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
    db.exec('PRAGMA journal_mode = WAL');
    // NORMAL is durable enough for a cache under WAL and much faster than FULL.
    db.exec('PRAGMA synchronous = NORMAL');
    applySchema(db, path);
  } catch (error) {
    db?.close();
    if (isRunestoneError(error)) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new RunestoneError('RS_STORE_E0001', `Cannot open the snapshot cache "${path}": ${detail}`, {
      cause: error,
      hint: `Check permissions on "${dir}"; the cache file can be deleted safely, it only costs time`,
    });
  }
  const open = db;
  const snapshots = new SqliteSnapshotStore(open);
  return {
    path,
    snapshots,
    history: new SqliteRunHistory(open),
    close: () => {
      // Writes nobody awaited still reach the file.
      if (open.isOpen) snapshots.flush();
      if (open.isOpen) open.close();
    },
  };
}

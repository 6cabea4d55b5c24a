import type { DatabaseSync } from 'node:sqlite';
import { RunestoneError } from '../../core/index.ts';

/** The schema version this code writes. Bump it and add a step to `MIGRATIONS` to change tables. */
export const SCHEMA_VERSION = 2;

/**
 * Steps from version N-1 to N, by index (`MIGRATIONS[0]` creates version 1). The cache can
 * always be deleted, so a migration may drop and rebuild a table rather than convert it.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE snapshots (
    stack    TEXT NOT NULL,
    address  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    provider TEXT NOT NULL,
    live     TEXT NOT NULL CHECK (json_valid(live)),
    seen_at  TEXT NOT NULL,
    depends_on TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(depends_on)),
    PRIMARY KEY (stack, address)
  ) WITHOUT ROWID;
  CREATE INDEX snapshots_by_provider ON snapshots (stack, provider, address);
  CREATE TABLE runs (
    run_id      TEXT PRIMARY KEY,
    stack       TEXT NOT NULL,
    verb        TEXT NOT NULL,
    user        TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    summary     TEXT NOT NULL CHECK (json_valid(summary))
  );
  CREATE INDEX runs_by_stack ON runs (stack, started_at DESC);
  `,
  `
  CREATE TABLE creates (
    stack      TEXT NOT NULL,
    address    TEXT NOT NULL,
    started_at TEXT NOT NULL,
    PRIMARY KEY (stack, address)
  ) WITHOUT ROWID;
  `,
];

/**
 * Brings the database to `SCHEMA_VERSION` inside one transaction, recording the version in
 * the `meta` table. A database from a newer Runestone is refused rather than guessed at.
 *
 * @throws RunestoneError `RS_STORE_E0002` when the file's schema is newer than this code.
 */
export function applySchema(db: DatabaseSync, path: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get();
  const current = row === undefined ? 0 : Number(row['value']);
  if (!Number.isInteger(current) || current > SCHEMA_VERSION) {
    throw new RunestoneError('RS_STORE_E0002', `Cannot use the snapshot cache "${path}": its schema version is ${String(row?.['value'])}, this Runestone knows up to ${SCHEMA_VERSION}`, {
      hint: 'Upgrade Runestone, or delete the cache file: it is rebuilt from live state',
    });
  }
  if (current === SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const step of MIGRATIONS.slice(current)) db.exec(step);
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(SCHEMA_VERSION));
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { JsonObject } from '../core/index.ts';
import type { SnapshotStore } from '../engine/store-port.ts';
import type { LiveState, Snapshot } from '../providers/contract.ts';
import { objectField, parseJsonColumn, textColumn } from './internal/decode.ts';
import { guardQuery } from './internal/guard-query.ts';

/** A write waiting for the next batch. */
interface PendingWrite {
  readonly action: string;
  readonly run: () => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The snapshot cache in SQLite: one row per stack and address, live state as JSON. It
 * remembers what was last seen (for speed and for host resources without markers); no
 * result may depend on it being there.
 *
 * Writes made in the same turn of the event loop (the snapshots of a whole observation,
 * the notes of creates finishing together) are committed in one transaction: a write's
 * promise resolves once its transaction is committed. Reads commit what is queued first.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  readonly #db: DatabaseSync;
  #pending: PendingWrite[] = [];
  #scheduled = false;
  readonly #put: StatementSync;
  readonly #remove: StatementSync;
  readonly #list: StatementSync;
  readonly #beginCreate: StatementSync;
  readonly #endCreate: StatementSync;
  readonly #listCreates: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#put = db.prepare(`
      INSERT INTO snapshots (stack, address, kind, provider, live, seen_at, depends_on) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (stack, address) DO UPDATE SET kind = excluded.kind, provider = excluded.provider, live = excluded.live, seen_at = excluded.seen_at,
        depends_on = excluded.depends_on`);
    this.#remove = db.prepare('DELETE FROM snapshots WHERE stack = ? AND address = ?');
    this.#list = db.prepare('SELECT stack, address, kind, provider, live, seen_at, depends_on FROM snapshots WHERE stack = ? AND provider = ? ORDER BY address');
    this.#beginCreate = db.prepare('INSERT INTO creates (stack, address, started_at) VALUES (?, ?, ?) ON CONFLICT (stack, address) DO UPDATE SET started_at = excluded.started_at');
    this.#endCreate = db.prepare('DELETE FROM creates WHERE stack = ? AND address = ?');
    this.#listCreates = db.prepare('SELECT address FROM creates WHERE stack = ?');
  }

  /** Notes that a create of `address` started; see {@link SnapshotStore.beginCreate}. */
  beginCreate(stack: string, address: string, startedAt: string): Promise<void> {
    return this.#write('note a create', () => {
      this.#beginCreate.run(stack, address, startedAt);
    });
  }

  /** Clears the note of a finished create. */
  endCreate(stack: string, address: string): Promise<void> {
    return this.#write('clear a create note', () => {
      this.#endCreate.run(stack, address);
    });
  }

  /** Addresses whose create started and never finished. */
  unfinishedCreates(stack: string): Promise<ReadonlySet<string>> {
    this.flush();
    return guardQuery('list unfinished creates', () => new Set(this.#listCreates.all(stack).map((row) => textColumn(row['address'], 'an unfinished create'))));
  }

  /** Stores (or replaces) the snapshot of one resource. */
  put(snapshot: Snapshot): Promise<void> {
    return this.#write('save a snapshot', () => {
      this.#put.run(snapshot.stack, snapshot.address, snapshot.kind, snapshot.provider, JSON.stringify(snapshot.live), snapshot.seenAt, JSON.stringify(snapshot.dependsOn ?? []));
    });
  }

  /** Forgets a resource (after it was deleted); forgetting an unknown one is fine. */
  remove(stack: string, address: string): Promise<void> {
    return this.#write('remove a snapshot', () => {
      this.#remove.run(stack, address);
    });
  }

  /** Every snapshot of a stack for one provider instance, by address. */
  list(stack: string, provider: string): Promise<readonly Snapshot[]> {
    this.flush();
    return guardQuery('list snapshots', () => this.#list.all(stack, provider).map((row) => decodeSnapshot(row)));
  }

  #write(action: string, run: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ action, run, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => {
        this.flush();
      });
    });
  }

  /**
   * Commits the queued writes now, in one transaction (if that fails, each write is tried
   * on its own so only the failing one rejects). Runs by itself after each event-loop turn.
   */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    if (!this.#db.isOpen) {
      for (const write of batch) void guardQuery(write.action, write.run).then(write.resolve, write.reject);
      return;
    }
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        for (const write of batch) write.run();
        this.#db.exec('COMMIT');
      } catch (error) {
        this.#db.exec('ROLLBACK');
        throw error;
      }
    } catch {
      for (const write of batch) void guardQuery(write.action, write.run).then(write.resolve, write.reject);
      return;
    }
    for (const write of batch) write.resolve();
  }
}

function decodeSnapshot(row: Record<string, unknown>): Snapshot {
  const address = textColumn(row['address'], 'a snapshot address');
  const live = parseJsonColumn(row['live'], `the snapshot of ${address}`);
  return {
    stack: textColumn(row['stack'], `the snapshot of ${address}`),
    address,
    kind: textColumn(row['kind'], `the snapshot of ${address}`),
    provider: textColumn(row['provider'], `the snapshot of ${address}`),
    live: decodeLive(live, address),
    seenAt: textColumn(row['seen_at'], `the snapshot of ${address}`),
    ...withDependsOn(decodeDependsOn(row['depends_on'])),
  };
}

function decodeLive(live: Record<string, unknown>, address: string): LiveState {
  const what = `the snapshot of ${address}`;
  const identity = textColumn(live['identity'], what);
  // Parsed from JSON, so values are JSON; only the object shape needs checking.
  const properties = objectField(live['properties'], what) as JsonObject;
  const attributes = objectField(live['attributes'], what) as JsonObject;
  const owner = live['owner'];
  if (owner !== undefined) {
    const record = objectField(owner, what);
    return { identity, properties, attributes, owner: { stack: textColumn(record['stack'], what), address: textColumn(record['address'], what) } };
  }
  return { identity, properties, attributes };
}

function decodeDependsOn(value: unknown): readonly string[] {
  if (typeof value !== 'string') return [];
  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
}

function withDependsOn(dependsOn: readonly string[]): { readonly dependsOn?: readonly string[] } {
  return dependsOn.length === 0 ? {} : { dependsOn };
}

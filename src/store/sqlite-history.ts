import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { RunRecord, RunHistory } from '../engine/store-port.ts';
import type { RunSummary, Verb } from '../engine/events.ts';
import { oneOfColumn, parseJsonColumn, textColumn } from './internal/decode.ts';
import { guardQuery } from './internal/guard-query.ts';

const VERBS: readonly Verb[] = ['validate', 'bootstrap', 'preview', 'commit', 'align', 'dismantle', 'graph'];

/** The run history in SQLite: who ran which verb on which stack, when, and how it ended. */
export class SqliteRunHistory implements RunHistory {
  readonly #record: StatementSync;
  readonly #list: StatementSync;

  constructor(db: DatabaseSync) {
    this.#record = db.prepare(`
      INSERT INTO runs (run_id, stack, verb, user, started_at, finished_at, summary) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, summary = excluded.summary`);
    // rowid breaks ties between runs started in the same millisecond: later insert first.
    this.#list = db.prepare('SELECT run_id, stack, verb, user, started_at, finished_at, summary FROM runs WHERE stack = ? ORDER BY started_at DESC, rowid DESC LIMIT ?');
  }

  /** Records a finished run; recording the same run id again updates its end and summary. */
  record(run: RunRecord): Promise<void> {
    return guardQuery('record a run', () => {
      this.#record.run(run.runId, run.stack, run.verb, run.user, run.startedAt, run.finishedAt, JSON.stringify(run.summary));
    });
  }

  /** The most recent runs of a stack, newest first, at most `limit`. */
  list(stack: string, limit: number): Promise<readonly RunRecord[]> {
    return guardQuery('list runs', () => this.#list.all(stack, Math.max(0, Math.floor(limit))).map((row) => decodeRun(row)));
  }
}

function decodeRun(row: Record<string, unknown>): RunRecord {
  const runId = textColumn(row['run_id'], 'a run id');
  const what = `run ${runId}`;
  return {
    runId,
    stack: textColumn(row['stack'], what),
    verb: oneOfColumn(row['verb'], VERBS, what),
    user: textColumn(row['user'], what),
    startedAt: textColumn(row['started_at'], what),
    finishedAt: textColumn(row['finished_at'], what),
    // Written by record() from a typed RunSummary; parseJsonColumn checked it is an object.
    summary: parseJsonColumn(row['summary'], what) as unknown as RunSummary,
  };
}

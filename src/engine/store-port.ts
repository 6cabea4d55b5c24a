import type { Snapshot, SnapshotReader } from '../providers/contract.ts';
import type { RunSummary, Verb } from './events.ts';

/** The snapshot cache as the engine uses it. Values arrive already redacted. */
export interface SnapshotStore extends SnapshotReader {
  put(snapshot: Snapshot): Promise<void>;
  remove(stack: string, address: string): Promise<void>;
  /**
   * Notes, before a provider's create runs, that `address` is being created. A run killed
   * mid-create (or a create that failed half-way) leaves the note, so the next run can
   * tell a resource it half-made (say, a bucket not tagged yet) from a stranger's.
   */
  beginCreate(stack: string, address: string, startedAt: string): Promise<void>;
  /** Clears the note once the resource is written and marked. */
  endCreate(stack: string, address: string): Promise<void>;
  /** Addresses of the stack whose create started and never finished. */
  unfinishedCreates(stack: string): Promise<ReadonlySet<string>>;
}

/** One finished run, as kept in the run history. */
export interface RunRecord {
  readonly runId: string;
  readonly stack: string;
  readonly verb: Verb;
  /** OS user that ran it. */
  readonly user: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: RunSummary;
}

/** The run history. */
export interface RunHistory {
  record(run: RunRecord): Promise<void>;
  list(stack: string, limit: number): Promise<readonly RunRecord[]>;
}

import type { Snapshot, SnapshotReader } from '../providers/contract.ts';
import type { RunSummary, Verb } from './events.ts';

/** The snapshot cache as the engine uses it. Values arrive already redacted. */
export interface SnapshotStore extends SnapshotReader {
  put(snapshot: Snapshot): Promise<void>;
  remove(stack: string, address: string): Promise<void>;
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

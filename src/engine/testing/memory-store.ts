import type { Snapshot } from '../../providers/contract.ts';
import type { RunHistory, RunRecord, SnapshotStore } from '../store-port.ts';

/** An in-memory {@link SnapshotStore} for engine tests (the real one is SQLite, in `store/`). */
export class MemorySnapshotStore implements SnapshotStore {
  /** Snapshots by `stack address`. */
  readonly snapshots = new Map<string, Snapshot>();

  put(snapshot: Snapshot): Promise<void> {
    this.snapshots.set(`${snapshot.stack} ${snapshot.address}`, snapshot);
    return Promise.resolve();
  }

  remove(stack: string, address: string): Promise<void> {
    this.snapshots.delete(`${stack} ${address}`);
    return Promise.resolve();
  }

  list(stack: string, provider: string): Promise<readonly Snapshot[]> {
    return Promise.resolve([...this.snapshots.values()].filter((s) => s.stack === stack && s.provider === provider));
  }

  /** Unfinished creates by `stack address`. */
  readonly creating = new Set<string>();

  beginCreate(stack: string, address: string): Promise<void> {
    this.creating.add(`${stack} ${address}`);
    return Promise.resolve();
  }

  endCreate(stack: string, address: string): Promise<void> {
    this.creating.delete(`${stack} ${address}`);
    return Promise.resolve();
  }

  unfinishedCreates(stack: string): Promise<ReadonlySet<string>> {
    const prefix = `${stack} `;
    return Promise.resolve(new Set([...this.creating].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length))));
  }

  /** The snapshot of one address, if any. */
  get(stack: string, address: string): Snapshot | undefined {
    return this.snapshots.get(`${stack} ${address}`);
  }
}

/** An in-memory {@link RunHistory} for engine tests. */
export class MemoryRunHistory implements RunHistory {
  readonly runs: RunRecord[] = [];

  record(run: RunRecord): Promise<void> {
    this.runs.push(run);
    return Promise.resolve();
  }

  list(stack: string, limit: number): Promise<readonly RunRecord[]> {
    return Promise.resolve(this.runs.filter((r) => r.stack === stack).slice(-limit).reverse());
  }
}

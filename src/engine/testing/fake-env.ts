import { ProviderRegistry } from '../../providers/registry.ts';
import { FakeClock } from './fake-clock.ts';
import { FakeCloud } from './fake-provider.ts';
import { MemoryRunHistory, MemorySnapshotStore } from './memory-store.ts';

/** Everything an engine test needs: virtual time, the fake cloud, a registry, a store and a history. */
export interface FakeEnv {
  readonly clock: FakeClock;
  readonly cloud: FakeCloud;
  readonly registry: ProviderRegistry;
  readonly store: MemorySnapshotStore;
  readonly history: MemoryRunHistory;
}

/** Builds a {@link FakeEnv} with the `fake` provider instantiated as instance `fake`. */
export function createFakeEnv(): FakeEnv {
  const clock = new FakeClock();
  const cloud = new FakeCloud({ now: clock.now, sleep: clock.sleep });
  const registry = new ProviderRegistry([cloud.providerType()]);
  registry.instantiate('fake', 'fake', {});
  return { clock, cloud, registry, store: new MemorySnapshotStore(), history: new MemoryRunHistory() };
}

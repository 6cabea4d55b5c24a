import type { KindHandler, LiveState } from '../src/providers/contract.ts';
import type { ProviderType } from '../src/providers/registry.ts';
import { TEST_PROVIDER } from '../src/plan/testing/test-provider.ts';

// The test provider's kinds with no-op I/O: nothing exists live, creates succeed at once.
const kinds: KindHandler[] = TEST_PROVIDER.kinds.map((kind) => ({
  ...kind,
  read: () => Promise.resolve(undefined),
  create: (desired): Promise<LiveState> =>
    Promise.resolve({ identity: desired.address, properties: desired.properties, attributes: { id: desired.address, value: 'v' } }),
  update: (desired): Promise<LiveState> =>
    Promise.resolve({ identity: desired.address, properties: desired.properties, attributes: { id: desired.address, value: 'v' } }),
  delete: () => Promise.resolve(),
}));

/** A provider type named `test` whose calls do no work: for measuring engine overhead. */
export const NOOP_PROVIDER: ProviderType = {
  type: 'test',
  configSchema: TEST_PROVIDER.configSchema,
  kinds,
  create: () => ({
    type: 'test',
    kinds: new Map(kinds.map((kind) => [kind.kind, kind])),
    configSchema: TEST_PROVIDER.configSchema,
    check: () => Promise.resolve({ ok: true, summary: 'no-op provider' }),
    discover: () => Promise.resolve([]),
  }),
};

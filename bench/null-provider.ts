import type { KindHandler, LiveState, Provider } from '../src/providers/contract.ts';
import type { ProviderType } from '../src/providers/registry.ts';
import type { DesiredResource } from '../src/providers/contract.ts';

/** The null provider's only kind. */
export const NULL_KIND = 'bench:thing';

function liveOf(desired: DesiredResource): LiveState {
  const value = desired.properties['value'];
  return {
    identity: desired.address,
    properties: desired.properties,
    attributes: { id: `id-${desired.address}`, ...(value === undefined ? {} : { value }) },
  };
}

const HANDLER: KindHandler = {
  kind: NULL_KIND,
  description: 'A resource that never exists and is created instantly, for benchmarks',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      value: { type: 'string' },
      n: { type: 'integer' },
      flag: { type: 'boolean', default: false },
      tags: { type: 'object', additionalProperties: { type: 'string' } },
      list: { type: 'array' },
    },
  },
  forceReplace: [],
  attributes: ['id', 'value'],
  // Nothing is ever live, so every node plans as a create.
  read: () => Promise.resolve(undefined),
  // No plannedAttributes: references to a resource not created yet stay unknown in previews.
  create: (desired) => Promise.resolve(liveOf(desired)),
  update: (desired) => Promise.resolve(liveOf(desired)),
  delete: () => Promise.resolve(),
};

const PROVIDER: Provider = {
  type: 'bench',
  kinds: new Map([[NULL_KIND, HANDLER]]),
  configSchema: { type: 'object' },
  check: () => Promise.resolve({ ok: true, summary: 'null provider ready' }),
  discover: () => Promise.resolve([]),
};

/**
 * A provider type, `bench`, whose one kind `bench:thing` reports nothing live and whose
 * create/update/delete return at once: it measures the engine, not a cloud.
 */
export const NULL_PROVIDER: ProviderType = {
  type: 'bench',
  create: () => PROVIDER,
  kinds: [HANDLER],
  configSchema: { type: 'object' },
};

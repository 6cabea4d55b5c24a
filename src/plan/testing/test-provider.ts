import type { KindHandler } from '../../providers/contract.ts';
import type { ProviderType } from '../../providers/registry.ts';

function kind(name: string, properties: Record<string, unknown>, required: string[] = []): KindHandler {
  return {
    kind: name,
    description: `Test kind ${name}`,
    schema: { type: 'object', additionalProperties: false, properties: properties as never, required },
    forceReplace: [],
    attributes: ['id', 'value'],
    read: () => Promise.resolve(undefined),
    create: () => Promise.reject(new Error('test kinds are for planning only')),
    update: () => Promise.reject(new Error('test kinds are for planning only')),
    delete: () => Promise.reject(new Error('test kinds are for planning only')),
  };
}

/** A provider type with schema-only kinds, for tests of planning (never executed). */
export const TEST_PROVIDER: ProviderType = {
  type: 'test',
  configSchema: { type: 'object', additionalProperties: false, properties: { region: { type: 'string' } } },
  kinds: [
    kind('test:thing', { value: { type: 'string' }, n: { type: 'integer' }, flag: { type: 'boolean' }, tags: { type: 'object', additionalProperties: { type: 'string' } }, list: { type: 'array' } }),
    kind('test:strict', { path: { type: 'string' }, mode: { type: 'string', enum: ['0644', '0755'] } }, ['path']),
    {
      ...kind('test:either', { content: { type: 'string' }, source: { type: 'string' } }),
      schema: { type: 'object', additionalProperties: false, properties: { content: { type: 'string' }, source: { type: 'string' } }, oneOf: [{ required: ['content'] }, { required: ['source'] }] },
    },
  ],
  create: () => {
    throw new Error('test provider is for planning only');
  },
};

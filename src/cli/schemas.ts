import { STACK_SCHEMA } from '../config/index.ts';
import type { KindHandler } from '../providers/contract.ts';

/**
 * The stack schema with each kind's properties schema attached through if/then on `kind`,
 * so editors (yaml-language-server) complete and check properties per kind.
 */
export function stackSchemaWithKinds(kinds: readonly KindHandler[]): unknown {
  const resource = STACK_SCHEMA.properties.resources.items;
  return {
    ...STACK_SCHEMA,
    properties: {
      ...STACK_SCHEMA.properties,
      resources: {
        type: 'array',
        items: {
          ...resource,
          allOf: kinds.map((kind) => ({
            if: { properties: { kind: { const: kind.kind } }, required: ['kind'] },
            then: { properties: { properties: kind.schema } },
          })),
        },
      },
    },
  };
}

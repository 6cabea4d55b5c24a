import type { CodeTable } from './code.ts';

/** Codes owned by the plan area. Append only; never renumber. */
export const PLAN_CODES = {
  RS_PLAN_E0001: { title: 'Dependency cycle', hint: 'Remove one depends_on entry or reference on the cycle' },
  RS_PLAN_E0002: { title: 'Unknown address in depends_on' },
  RS_PLAN_E0003: { title: 'Duplicate resource address', hint: 'Give each resource of a kind a unique name (use ${index} or ${key} in loops)' },
  RS_PLAN_E0004: { title: 'Invalid count or for_each' },
  RS_PLAN_E0005: { title: 'Unknown target address', hint: 'Pass an address printed by `runestone graph`' },
} as const satisfies CodeTable;

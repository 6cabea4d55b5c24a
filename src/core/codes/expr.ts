import type { CodeTable } from './code.ts';

/** Codes owned by the expr area. Append only; never renumber. */
export const EXPR_CODES = {
  RS_EXPR_E0001: { title: 'Expression does not parse', hint: 'Expressions use CEL syntax: https://cel.dev' },
  RS_EXPR_E0002: { title: 'Expression failed to evaluate' },
  RS_EXPR_E0003: { title: 'Unterminated ${ expression', hint: 'Close it with } or write $${ for a literal ${' },
  RS_EXPR_E0004: { title: 'Unknown variable in expression' },
  RS_EXPR_E0005: { title: 'Expression has the wrong type for this place' },
  RS_EXPR_E0006: { title: 'Loop variable shadows a global', hint: 'Name the loop item with as: so it does not hide the global' },
  RS_EXPR_E0007: { title: 'Reference to an unknown resource' },
  RS_EXPR_E0008: { title: 'Reference is not allowed here', hint: 'count, for_each, when and names must be known before any resource exists' },
  RS_EXPR_E0009: { title: 'Ambiguous resource reference', hint: "Use the full address: res['kind.name']" },
  RS_EXPR_E0010: { title: 'Name is reserved in expressions', hint: 'Rename it: CEL reads this name as a type or keyword, never as your value' },
  RS_EXPR_W0001: { title: 'Implicit loop item shadows a global', hint: 'Write ${item} or add as: with a name no global uses' },
} as const satisfies CodeTable;

export { compileExpression, RESERVED_NAMES, RESOURCE_ROOT } from './compile.ts';
export type { CompiledExpression, ResourceReference } from './compile.ts';
export { compileAt, evaluateTemplate, toExprError } from './evaluate.ts';
export type { LocateInString } from './evaluate.ts';
export { parseTemplate, TemplateSyntaxError } from './template.ts';
export type { Template, TemplatePart } from './template.ts';
export { fromCel, interpolate, toCel } from './values.ts';

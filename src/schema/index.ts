export type { SchemaCheck, SchemaIssue } from './validator.ts';
export { compileSchema, escapePointer, splitPointer } from './validator.ts';

import { Environment, type ASTNode } from '@marcbachmann/cel-js';

/** A resource reference found in an expression: `res.web.arn` or `res['logs-main'].arn`. */
export interface ResourceReference {
  /** The name or address after `res`. */
  readonly name: string;
  /** Offset and length of the reference inside the expression. */
  readonly start: number;
  readonly end: number;
}

/** A parsed CEL expression, reusable across evaluations. */
export interface CompiledExpression {
  readonly source: string;
  /** Evaluates against a scope whose integers are `bigint` (CEL int); may throw cel-js errors. */
  readonly evaluate: (scope: Readonly<Record<string, unknown>>) => unknown;
  readonly references: readonly ResourceReference[];
  /** Top-level identifiers read (excluding macro-bound variables is best effort). */
  readonly identifiers: ReadonlySet<string>;
  /** The parsed tree, for callers that inspect what an expression reads. */
  readonly ast: ASTNode;
}

/** The root variable for resource references. */
export const RESOURCE_ROOT = 'res';

/**
 * Names an expression can never read as a variable: CEL's type names (`${list}` is the
 * type `list`, whatever the scope says), its literals and reserved words, and `res`.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...['bool', 'bytes', 'double', 'int', 'list', 'map', 'null_type', 'string', 'type', 'uint'],
  ...['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while'],
  RESOURCE_ROOT,
]);

// Heterogeneous literals ({'a': 1, 'b': [1]}) are normal in infrastructure config.
const environment = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
const cache = new Map<string, CompiledExpression>();

/** Parses an expression once (cached by source text); throws cel-js `ParseError`. */
export function compileExpression(source: string): CompiledExpression {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const program = environment.parse(source);
  const references: ResourceReference[] = [];
  const identifiers = new Set<string>();
  collect(program.ast, references, identifiers);
  const compiled: CompiledExpression = { source, evaluate: (scope): unknown => program(scope) as unknown, references, identifiers, ast: program.ast };
  cache.set(source, compiled);
  return compiled;
}

function collect(node: ASTNode, references: ResourceReference[], identifiers: Set<string>): void {
  switch (node.op) {
    case 'id':
      identifiers.add(node.args);
      return;
    case 'value':
      return;
    case '.':
    case '.?': {
      const [target, field] = node.args;
      if (target.op === 'id' && target.args === RESOURCE_ROOT) {
        identifiers.add(RESOURCE_ROOT);
        references.push({ name: field, start: node.range.start, end: node.range.end });
        return;
      }
      collect(target, references, identifiers);
      return;
    }
    case '[]':
    case '[?]': {
      const [target, index] = node.args;
      if (target.op === 'id' && target.args === RESOURCE_ROOT && index.op === 'value' && typeof index.args === 'string') {
        identifiers.add(RESOURCE_ROOT);
        references.push({ name: index.args, start: node.range.start, end: node.range.end });
        return;
      }
      collect(target, references, identifiers);
      collect(index, references, identifiers);
      return;
    }
    case 'call':
      for (const arg of node.args[1]) collect(arg, references, identifiers);
      return;
    case 'rcall':
      collect(node.args[1], references, identifiers);
      for (const arg of node.args[2]) collect(arg, references, identifiers);
      return;
    case 'list':
      for (const item of node.args) collect(item, references, identifiers);
      return;
    case 'map':
      for (const [key, value] of node.args) {
        collect(key, references, identifiers);
        collect(value, references, identifiers);
      }
      return;
    case '?:':
      for (const arg of node.args) collect(arg, references, identifiers);
      return;
    case '!_':
    case '-_':
      collect(node.args, references, identifiers);
      return;
    default:
      for (const arg of node.args) collect(arg, references, identifiers);
  }
}

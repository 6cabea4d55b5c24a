import { ExprError, PlanError, type RunestoneError } from '../core/errors.ts';
import type { JsonValue } from '../core/json.ts';
import type { Locator } from '../config/index.ts';
import type { SourceLocation } from '../core/location.ts';
import { RESERVED_NAMES, toCel } from '../expr/index.ts';
import { evaluateValue } from './draft-value.ts';

/** Names visible to expressions, CEL-ready, plus where each global was declared. */
export interface Scope {
  readonly values: Readonly<Record<string, unknown>>;
  /** Global names (variables, project, environment, inputs) and where they come from. */
  readonly globals: ReadonlyMap<string, string>;
}

/** One expansion of a block: its id suffix and loop variables. */
export interface Instance {
  /** `''`, `[0]` or `["key"]`, appended to the address when the name is not templated. */
  readonly suffix: string;
  readonly vars: Readonly<Record<string, unknown>>;
}

const LOOP_NAMES = ['index', 'item', 'key', 'first', 'last'] as const;

/**
 * Expands `count` / `for_each` of a block into instances; a block with neither is one
 * instance. Checks that loop variables do not shadow globals (an explicit `as:` that does
 * is an error; the implicit singular of `for_each: ${regions}` gives a warning and wins).
 */
export function expandInstances(block: Readonly<Record<string, unknown>>, at: Locator, scope: Scope, warnings: RunestoneError[]): readonly Instance[] {
  const hasCount = block['count'] !== undefined;
  const hasForEach = block['for_each'] !== undefined;
  if (hasCount && hasForEach) {
    throw new PlanError('RS_PLAN_E0004', 'Cannot use both count and for_each on one resource', { location: at.child('for_each').keyLocation(), hint: 'Keep one of them' });
  }
  if (!hasCount && !hasForEach) return [{ suffix: '', vars: {} }];
  const loopNames: string[] = [...LOOP_NAMES];
  const alias = typeof block['as'] === 'string' ? block['as'] : undefined;
  if (alias !== undefined) {
    if (RESERVED_NAMES.has(alias)) throw reservedName('loop item', alias, at.child('as').location());
    loopNames.push(alias);
  }
  for (const name of loopNames) {
    const declared = scope.globals.get(name);
    if (declared !== undefined) {
      throw new ExprError('RS_EXPR_E0006', `Loop variable "${name}" shadows the global "${name}" declared at ${declared}`, {
        location: (alias === name ? at.child('as') : at.child(hasCount ? 'count' : 'for_each')).location(),
        hint: alias === name ? 'Pick another name for as:' : `Rename the global "${name}"; inside loops ${name} means the loop variable`,
      });
    }
  }
  if (hasCount) {
    const count = evaluateValue(block['count'], at.child('count'), scope.values, { forbidReason: 'count' });
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw new PlanError('RS_PLAN_E0004', `Invalid count: expected a whole number >= 0, found ${JSON.stringify(count)}`, { location: at.child('count').location() });
    }
    return Array.from({ length: count }, (_, index) => ({
      suffix: `[${index}]`,
      vars: toCelVars({ index, first: index === 0, last: index === count - 1 }),
    }));
  }
  const collection = evaluateValue(block['for_each'], at.child('for_each'), scope.values, { forbidReason: 'for_each' }) as JsonValue;
  const implicit = alias === undefined ? implicitAlias(block['for_each']) : undefined;
  if (implicit !== undefined && scope.globals.has(implicit)) {
    warnings.push(
      new ExprError('RS_EXPR_W0001', `Loop item "${implicit}" (the singular of for_each) shadows the global "${implicit}" declared at ${scope.globals.get(implicit) ?? ''} inside this resource`, {
        location: at.child('for_each').location(),
        hint: `Write \${item} for the loop item, or add as: with a name no global uses`,
      }),
    );
  }
  const entries: [string | number, JsonValue][] = Array.isArray(collection)
    ? collection.map((item, index) => [index, item] as [number, JsonValue])
    : collection !== null && typeof collection === 'object'
      ? Object.entries(collection).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      : invalidForEach(collection, at);
  return entries.map(([key, item], index) => {
    const vars: Record<string, unknown> = { index, item, first: index === 0, last: index === entries.length - 1 };
    if (typeof key === 'string') vars['key'] = key;
    if (alias !== undefined) vars[alias] = item;
    if (implicit !== undefined) vars[implicit] = item;
    const suffix = typeof key === 'string' ? `[${JSON.stringify(key)}]` : typeof item === 'string' ? `[${JSON.stringify(item)}]` : `[${index}]`;
    return { suffix, vars: toCelVars(vars) };
  });
}

function invalidForEach(value: JsonValue, at: Locator): never {
  throw new PlanError('RS_PLAN_E0004', `Invalid for_each: expected a list or a map, found ${value === null ? 'null' : typeof value}`, { location: at.child('for_each').location() });
}

// `for_each: ${regions}` names its item `region`, as the seed's examples read.
function implicitAlias(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const match = /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(raw);
  const name = match?.[1];
  if (name === undefined || name.length < 3 || !name.endsWith('s')) return undefined;
  const singular = name.endsWith('ies') ? `${name.slice(0, -3)}y` : name.slice(0, -1);
  return (LOOP_NAMES as readonly string[]).includes(singular) ? undefined : singular;
}

function toCelVars(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vars)) out[key] = toCel(value);
  return out;
}

/** A scope with loop variables added (they may shadow only what `expandInstances` allowed). */
export function withVars(scope: Scope, vars: Readonly<Record<string, unknown>>): Scope {
  return { values: { ...scope.values, ...vars }, globals: scope.globals };
}

/** The error for a variable or loop name an expression could never read. */
export function reservedName(what: string, name: string, location: SourceLocation): ExprError {
  return new ExprError('RS_EXPR_E0010', `Cannot use "${name}" as a ${what} name: it is reserved in expressions`, {
    location,
    hint: `Rename it; inside \${} CEL reads ${name} as a type or keyword, never as this value`,
  });
}

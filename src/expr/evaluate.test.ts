import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExprError } from '../core/errors.ts';
import { evaluateTemplate } from './evaluate.ts';
import { parseTemplate } from './template.ts';
import { toCel } from './values.ts';

const locate = (offset: number): { file: string; line: number; column: number } => ({ file: 'x.yaml', line: 1, column: offset + 1 });
const scope = toCel({ environment: 'prod', replicas: 3, tags: { owner: 'team' }, regions: ['a', 'b'], ratio: 0.5 }) as Record<string, unknown>;

function run(text: string): unknown {
  const template = parseTemplate(text);
  assert.ok(template);
  return evaluateTemplate(template, scope, locate);
}

describe('evaluateTemplate()', () => {
  const cases: [string, string, unknown][] = [
    ['a ternary yields a number', "${environment == 'prod' ? 100 : 20}", 100],
    ['a comparison yields a boolean', "${environment == 'prod'}", true],
    ['a whole map stays a map', '${tags}', { owner: 'team' }],
    ['a list stays a list', '${regions}', ['a', 'b']],
    ['integers from YAML are CEL ints', '${replicas + 1}', 4],
    ['doubles stay doubles', '${ratio * 2.0}', 1],
    ['mixed text interpolates', 'web-${replicas}-${environment}', 'web-3-prod'],
    ['maps interpolate as JSON', 't=${tags}', 't={"owner":"team"}'],
    ['macros work', '${regions.map(r, r + "-x")}', ['a-x', 'b-x']],
  ];
  for (const [name, text, expected] of cases) {
    test(`evaluates: ${name}`, () => {
      assert.deepEqual(run(text), expected);
    });
  }

  const errors: [string, string, string, number][] = [
    ['an unknown variable', 'x-${nope}', 'RS_EXPR_E0004', 5],
    ['a syntax error', '${1 +}', 'RS_EXPR_E0001', 6],
    ['a type error', "${'a' + 1}", 'RS_EXPR_E0002', 3],
  ];
  for (const [name, text, code, column] of errors) {
    test(`reports ${name} with ${code} at the character`, () => {
      assert.throws(
        () => run(text),
        (error: unknown) => error instanceof ExprError && error.code === code && error.location?.column === column,
      );
    });
  }
});

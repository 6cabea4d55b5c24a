import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTemplate, TemplateSyntaxError } from './template.ts';

describe('parseTemplate()', () => {
  const valid: [string, string, unknown][] = [
    ['plain text has no template', 'hello', undefined],
    ['a whole expression', '${a}', { isWholeExpression: true, parts: [{ kind: 'expr', source: 'a', offset: 2 }] }],
    ['mixed text', 'web-${index}', { isWholeExpression: false, parts: [{ kind: 'text', text: 'web-' }, { kind: 'expr', source: 'index', offset: 6 }] }],
    ['escape $${ is a literal', 'cost $${x}', { isWholeExpression: false, parts: [{ kind: 'text', text: 'cost ${x}' }] }],
    ['nested braces of a map literal', "${{'a': 1}.a}", { isWholeExpression: true, parts: [{ kind: 'expr', source: "{'a': 1}.a", offset: 2 }] }],
    ['a brace inside a string literal', "${'}' + a}", { isWholeExpression: true, parts: [{ kind: 'expr', source: "'}' + a", offset: 2 }] }],
  ];
  for (const [name, input, expected] of valid) {
    test(`parses ${name}`, () => {
      const template = parseTemplate(input);
      if (expected === undefined) assert.equal(template, undefined);
      else assert.deepEqual({ isWholeExpression: template?.isWholeExpression, parts: template?.parts }, expected);
    });
  }

  test('reports the offset of an unterminated ${', () => {
    assert.throws(
      () => parseTemplate('abc ${x'),
      (error: unknown) => error instanceof TemplateSyntaxError && error.offset === 4,
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, formatValue, plural } from './format.ts';
import { CHANGE_SYMBOLS, createStyle, stripAnsi } from './style.ts';

describe('createStyle()', () => {
  it('returns text unchanged with colour off', () => {
    const style = createStyle({ color: false });
    assert.equal(style.paint('create', '+ x'), '+ x');
    assert.equal(style.change('delete', '- x'), '- x');
  });

  it('paints each role in its colour with colour on', () => {
    const style = createStyle({ color: true });
    assert.equal(style.change('create', '+'), '\u001b[32m+\u001b[39m');
    assert.equal(style.change('update', '~'), '\u001b[33m~\u001b[39m');
    assert.equal(style.change('delete', '-'), '\u001b[31m-\u001b[39m');
    assert.equal(style.paint('failed', '✗'), '\u001b[31m✗\u001b[39m');
    assert.equal(style.paint('drift', '•'), '\u001b[34m•\u001b[39m');
    assert.equal(style.change('no-op', 'x'), 'x');
    assert.equal(stripAnsi(style.paint('bold', 'b')), 'b');
  });

  it('uses the Option A symbols', () => {
    assert.deepEqual(CHANGE_SYMBOLS, { create: '+', update: '~', replace: '±', delete: '-', 'no-op': ' ' });
  });
});

describe('report formatting helpers', () => {
  const durations: readonly [number, string][] = [
    [12, '12ms'],
    [1234, '1.2s'],
    [59_999, '59.9s'],
    [102_000, '1m42s'],
    [3_720_000, '1h02m'],
  ];
  for (const [ms, text] of durations) {
    it(`formatDuration() prints ${ms}ms as ${text}`, () => {
      assert.equal(formatDuration(ms), text);
    });
  }

  it('plural() picks the singular only for one', () => {
    assert.equal(plural(1, 'resource'), '1 resource');
    assert.equal(plural(0, 'resource'), '0 resources');
    assert.equal(plural(2, 'drift issue'), '2 drift issues');
  });

  it('formatValue() cuts long values without splitting (secret)', () => {
    const text = formatValue(`${'a'.repeat(55)}(secret)tail`);
    assert.ok(text.endsWith('(secret)…"'), text);
    assert.equal(formatValue({ a: [1, null] }), '{"a": [1, null]}');
    assert.equal(formatValue('(secret)'), '(secret)');
  });
});

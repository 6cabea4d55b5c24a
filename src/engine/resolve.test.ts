import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asNodeId } from '../core/brands.ts';
import { ExprError } from '../core/errors.ts';
import type { JsonValue } from '../core/json.ts';
import type { Attributes, DeferredValue, PlanValue } from '../plan/ir.ts';
import { isDeferredValue, isUnderUnknown, resolveProperties, resolveValue } from './resolve.ts';

const LOCATION = { file: 'runestone.yaml', line: 3, column: 5 };

function deferred(evaluate: DeferredValue['evaluate']): DeferredValue {
  return { kind: 'deferred', source: '${res.a.x}', refs: [asNodeId('k.a')], location: LOCATION, evaluate };
}

const known = deferred((lookup) => lookup(asNodeId('k.a'))?.['x']);
const ATTRS: Attributes = { x: 'from-a' };
const withA = (id: string): Attributes | undefined => (id === 'k.a' ? ATTRS : undefined);
const nothing = (): Attributes | undefined => undefined;

describe('resolveValue()', () => {
  const cases: { name: string; value: PlanValue; lookup: typeof withA; value_: JsonValue; unknown: string[] }[] = [
    { name: 'passes plain JSON through', value: { a: 1, b: [true, null] }, lookup: nothing, value_: { a: 1, b: [true, null] }, unknown: [] },
    { name: 'evaluates a known deferred leaf', value: { path: known }, lookup: withA, value_: { path: 'from-a' }, unknown: [] },
    { name: 'leaves an unknown member out and lists its pointer', value: { path: known, mode: '0644' }, lookup: nothing, value_: { mode: '0644' }, unknown: ['/path'] },
    { name: 'reports nested unknown pointers', value: { tags: { owner: known, env: 'dev' } }, lookup: nothing, value_: { tags: { env: 'dev' } }, unknown: ['/tags/owner'] },
    { name: 'keeps array indices with null for unknown items', value: { list: ['a', known, 'c'] }, lookup: nothing, value_: { list: ['a', null, 'c'] }, unknown: ['/list/1'] },
    { name: 'escapes pointer keys', value: { 'a/b': { '~c': known } }, lookup: nothing, value_: { 'a/b': {} }, unknown: ['/a~1b/~0c'] },
    { name: 'resolves a whole deferred value to null when unknown', value: known, lookup: nothing, value_: null, unknown: [''] },
    { name: 'keeps a plain {kind: "deferred"} map as data', value: { kind: 'deferred' }, lookup: nothing, value_: { kind: 'deferred' }, unknown: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = resolveValue(c.value, c.lookup);
      assert.deepEqual(result.value, c.value_);
      assert.deepEqual(result.unknownPaths, c.unknown);
    });
  }

  it('propagates the ExprError a deferred throws', () => {
    const failing = deferred(() => {
      throw new ExprError('RS_INTERNAL_E0001', 'boom');
    });
    assert.throws(() => resolveValue({ a: failing }, nothing), ExprError);
  });
});

describe('resolveProperties()', () => {
  it('returns an object with the unknown pointers', () => {
    assert.deepEqual(resolveProperties({ a: known, b: 2 }, nothing), { value: { b: 2 }, unknownPaths: ['/a'] });
  });
});

describe('isDeferredValue()', () => {
  it('needs kind and an evaluate function', () => {
    assert.equal(isDeferredValue(known), true);
    assert.equal(isDeferredValue({ kind: 'deferred' }), false);
    assert.equal(isDeferredValue(null), false);
  });
});

describe('isUnderUnknown()', () => {
  const cases: [string, string[], boolean][] = [
    ['/tags', ['/tags'], true],
    ['/tags/env', ['/tags'], true],
    ['/tagsx', ['/tags'], false],
    ['/mode', [], false],
  ];
  for (const [pointer, unknown, expected] of cases) {
    it(`${pointer} under ${JSON.stringify(unknown)} is ${expected}`, () => {
      assert.equal(isUnderUnknown(pointer, unknown), expected);
    });
  }
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProviderError } from '../core/errors.ts';
import type { KindHandler, LiveState } from '../providers/contract.ts';
import { checkOwnership, OWNER_PATH } from './ownership.ts';
import { fakeNode } from './testing/plan-builder.ts';

const marking = { marksOwnership: true } as KindHandler;
const live = (owner?: { stack: string; address: string }): LiveState => ({ identity: 'bucket-1', properties: {}, attributes: {}, ...(owner === undefined ? {} : { owner }) });

describe('checkOwnership()', () => {
  test('accepts what this stack owns and ignores kinds without markers', () => {
    assert.deepEqual(checkOwnership(marking, fakeNode('a', {}), live({ stack: 'test/dev', address: 'fake:item.a' }), 'test/dev'), []);
    assert.deepEqual(checkOwnership({} as KindHandler, fakeNode('a', {}), live(), 'test/dev'), []);
    assert.deepEqual(checkOwnership(marking, fakeNode('a', {}), undefined, 'test/dev'), []);
  });

  const refused: [string, LiveState, string][] = [
    ['another stack', live({ stack: 'other/prod', address: 'fake:item.x' }), 'RS_ENGINE_E0013'],
    ['nobody, without adopt', live(), 'RS_ENGINE_E0014'],
  ];
  for (const [name, state, code] of refused) {
    test(`refuses a resource owned by ${name} with ${code}`, () => {
      assert.throws(
        () => checkOwnership(marking, fakeNode('a', {}), state, 'test/dev'),
        (error: unknown) => error instanceof ProviderError && error.code === code,
      );
    });
  }

  test('takes over an unmarked resource this stack started creating and never finished, without adopt', () => {
    const [diff] = checkOwnership(marking, fakeNode('a', {}), live(), 'test/dev', true);
    assert.equal(diff?.path, OWNER_PATH);
    assert.equal(diff.after, 'test/dev');
    assert.throws(
      () => checkOwnership(marking, fakeNode('a', {}), live({ stack: 'other/prod', address: 'fake:item.x' }), 'test/dev', true),
      (error: unknown) => error instanceof ProviderError && error.code === 'RS_ENGINE_E0013',
    );
  });

  test('adopts an unmarked resource with adopt: true, as an update of the markers', () => {
    const node = { ...fakeNode('a', {}), adopt: true };
    const [diff] = checkOwnership(marking, node, live(), 'test/dev');
    assert.equal(diff?.path, OWNER_PATH);
    assert.equal(diff.after, 'test/dev');
  });
});

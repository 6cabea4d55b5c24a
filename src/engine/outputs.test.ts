import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { commitStack } from './run.ts';
import { createFakeEnv } from './testing/fake-env.ts';
import { fakeNode, fakePlan, ref } from './testing/plan-builder.ts';

describe('resolveOutputs() through commitStack()', () => {
  test('outputs read attributes created in this run and flag secret ones', async () => {
    const env = createFakeEnv();
    const base = fakePlan([fakeNode('a', { value: 'hello' })]);
    const plan = {
      ...base,
      outputs: [
        { name: 'id', value: ref('a', 'id'), secret: false, origin: { file: 'runestone.yaml', line: 1, column: 1 } },
        { name: 'token', value: 'x', secret: true, origin: { file: 'runestone.yaml', line: 2, column: 1 } },
      ],
    };
    const outcome = await commitStack({ plan, registry: env.registry, store: env.store, now: env.clock.now, sleep: env.clock.sleep });
    const [id, token] = outcome.outputs;
    assert.equal(id?.name, 'id');
    assert.equal(typeof id.value, 'string');
    assert.notEqual(id.value, '');
    assert.deepEqual(token, { name: 'token', value: 'x', secret: true });
  });

  test('an output whose resource failed is not known', async () => {
    const env = createFakeEnv();
    env.cloud.fail('fake:item.a');
    const base = fakePlan([fakeNode('a', { value: 'hello' })]);
    const plan = { ...base, outputs: [{ name: 'id', value: ref('a', 'id'), secret: false, origin: { file: 'runestone.yaml', line: 1, column: 1 } }] };
    const outcome = await commitStack({ plan, registry: env.registry, store: env.store, now: env.clock.now, sleep: env.clock.sleep });
    assert.equal(outcome.outputs[0]?.value, undefined);
  });
});

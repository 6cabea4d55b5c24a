import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Plan } from '../plan/ir.ts';
import { EventBus } from './event-bus.ts';
import type { RunEvent } from './events.ts';
import { executeChanges, type ExecuteOptions } from './execute.ts';
import { observePlan, redactorFor } from './observe.ts';
import { planChanges, type PlanIntent } from './plan-changes.ts';
import { RunEvents } from './run-events.ts';
import { createFakeEnv, type FakeEnv } from './testing/fake-env.ts';
import { fakeNode, fakePlan, ref } from './testing/plan-builder.ts';

type Extra = Partial<Omit<ExecuteOptions, 'plan' | 'registry' | 'verb'>> & { intent?: PlanIntent };

async function run(env: FakeEnv, plan: Plan, extra: Extra = {}) {
  const observation = await observePlan(plan, { registry: env.registry, store: env.store, now: env.clock.now });
  const changeSet = planChanges(observation, { redactor: redactorFor(plan), intent: extra.intent ?? 'converge' });
  const bus = new EventBus({ redactor: redactorFor(plan) });
  const events: RunEvent[] = [];
  bus.on((event) => {
    events.push(event);
  });
  const result = await executeChanges(changeSet, {
    plan,
    registry: env.registry,
    verb: 'commit',
    events: new RunEvents(bus, 'run-1', env.clock.now),
    store: env.store,
    now: env.clock.now,
    sleep: env.clock.sleep,
    ...extra,
  });
  await bus.flush();
  const status = Object.fromEntries(result.results.map((r) => [r.nodeId.replace('fake:item.', ''), r.status]));
  return { ...result, changeSet, events, status };
}

describe('executeChanges()', () => {
  it('starts a node once its dependencies are done and resolves references just in time', async () => {
    const env = createFakeEnv();
    const plan = fakePlan([fakeNode('c', { note: ref('b', 'id') }), fakeNode('b', { note: ref('a', 'id') }), fakeNode('a', { value: 'x' })]);
    const { summary, status } = await run(env, plan);
    assert.deepEqual(env.cloud.order('create'), ['fake:item.a', 'fake:item.b', 'fake:item.c']);
    assert.deepEqual(status, { a: 'done', b: 'done', c: 'done' });
    assert.deepEqual(env.cloud.resources.get('fake:item.c')?.properties, { note: 'fake-2', mode: '0644' });
    assert.deepEqual([summary.done, summary.failed, summary.skipped, summary.aborted], [3, 0, 0, false]);
  });

  it('runs independent nodes in parallel up to the parallelism bound', async () => {
    for (const [parallelism, expected] of [
      [2, 2],
      [10, 6],
    ] as const) {
      const env = createFakeEnv();
      const names = ['a', 'b', 'c', 'd', 'e', 'f'];
      for (const name of names) env.cloud.delay(`fake:item.${name}`, 1000);
      await run(env, fakePlan(names.map((n) => fakeNode(n, {}))), { parallelism });
      assert.equal(env.cloud.maxInFlight, expected, `parallelism ${parallelism}`);
    }
  });

  it('bounds calls per provider instance', async () => {
    const env = createFakeEnv();
    for (const name of ['a', 'b', 'c']) env.cloud.delay(`fake:item.${name}`, 1000);
    await run(env, fakePlan(['a', 'b', 'c'].map((n) => fakeNode(n, {}))), { providerParallelism: { fake: 1 } });
    assert.equal(env.cloud.maxInFlight, 1);
  });

  it('skips the transitive dependents of a failed node and finishes independent branches', async () => {
    const env = createFakeEnv();
    env.cloud.fail('fake:item.a', { message: 'Cannot create "fake:item.a": quota exceeded' });
    const plan = fakePlan([fakeNode('a', {}), fakeNode('b', {}, { dependsOn: ['a'] }), fakeNode('c', {}, { dependsOn: ['b'] }), fakeNode('d', {})]);
    const { results, summary, status, events } = await run(env, plan);
    assert.deepEqual(status, { a: 'failed', b: 'skipped', c: 'skipped', d: 'done' });
    assert.deepEqual(results.filter((r) => r.status === 'skipped').map((r) => [r.skippedBecause, r.error?.code]), [
      ['fake:item.a', 'RS_ENGINE_E0012'],
      ['fake:item.a', 'RS_ENGINE_E0012'],
    ]);
    assert.equal(results[0]?.error?.code, 'RS_ENGINE_E0008');
    assert.equal(results[0].error.location?.file, 'runestone.yaml');
    assert.deepEqual([summary.done, summary.failed, summary.skipped], [1, 1, 2]);
    assert.deepEqual(env.cloud.order('create'), ['fake:item.a', 'fake:item.d']);
    assert.ok(events.some((e) => e.kind === 'node.finished' && e.message === 'Skipped "fake:item.c": dependency "fake:item.a" did not finish'));
  });

  it('retries retryable provider errors with exponential backoff', async () => {
    const env = createFakeEnv();
    env.cloud.fail('fake:item.a', { times: 2, retryable: true });
    const { results, events } = await run(env, fakePlan([fakeNode('a', {})]), { retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 } });
    assert.deepEqual([results[0]?.status, results[0]?.attempts], ['done', 3]);
    assert.deepEqual(env.clock.sleeps.filter((ms) => ms < 1000), [100, 200]);
    assert.deepEqual(
      events.filter((e) => e.kind === 'node.started').map((e) => e.data.attempt),
      [1, 2, 3],
    );
  });

  it('fails after the last attempt and does not retry errors that are not retryable', async () => {
    const env = createFakeEnv();
    env.cloud.fail('fake:item.a', { retryable: true });
    env.cloud.fail('fake:item.b', { retryable: false });
    const { results } = await run(env, fakePlan([fakeNode('a', {}), fakeNode('b', {})]), { retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 } });
    assert.deepEqual(results.map((r) => [r.status, r.attempts]), [
      ['failed', 3],
      ['failed', 1],
    ]);
  });

  it('fails a node that exceeds its timeout with RS_ENGINE_E0003', async () => {
    const env = createFakeEnv();
    env.cloud.delay('fake:item.slow', 5000);
    const { results } = await run(env, fakePlan([fakeNode('slow', {}), fakeNode('quick', {})]), { nodeTimeoutMs: 1000 });
    assert.deepEqual(results.map((r) => [r.status, r.error?.code]), [
      ['failed', 'RS_ENGINE_E0003'],
      ['done', undefined],
    ]);
  });

  it('on abort lets running nodes finish and skips the rest', async () => {
    const env = createFakeEnv();
    env.cloud.delay('fake:item.a', 1000);
    const controller = new AbortController();
    const plan = fakePlan([fakeNode('a', {}), fakeNode('b', {}), fakeNode('c', {}, { dependsOn: ['a'] })]);
    const observation = await observePlan(plan, { registry: env.registry });
    const changeSet = planChanges(observation, { redactor: redactorFor(plan) });
    const bus = new EventBus();
    bus.on((event) => {
      if (event.kind === 'node.started') controller.abort();
    });
    // The bus delivers on a later microtask, so abort is observed before the queued node b gets its slot.
    const result = await executeChanges(changeSet, { plan, registry: env.registry, verb: 'commit', events: new RunEvents(bus, 'r', env.clock.now), signal: controller.signal, parallelism: 1, now: env.clock.now, sleep: env.clock.sleep });
    assert.deepEqual(result.results.map((r) => [r.nodeId, r.status, r.error?.code]), [
      ['fake:item.a', 'done', undefined],
      ['fake:item.b', 'skipped', 'RS_ENGINE_E0010'],
      ['fake:item.c', 'skipped', 'RS_ENGINE_E0010'],
    ]);
    assert.equal(result.summary.aborted, true);
    assert.deepEqual(env.cloud.order('create'), ['fake:item.a']);
  });

  it('deletes in reverse dependency order', async () => {
    const env = createFakeEnv();
    for (const name of ['a', 'b', 'c', 'd']) env.cloud.seed(`fake:item.${name}`, {});
    const plan = fakePlan([fakeNode('a', {}), fakeNode('b', {}, { dependsOn: ['a'] }), fakeNode('c', {}, { dependsOn: ['b'] }), fakeNode('d', {}, { dependsOn: ['a'] })]);
    const { status } = await run(env, plan, { intent: 'dismantle', parallelism: 1 });
    assert.deepEqual(status, { a: 'done', b: 'done', c: 'done', d: 'done' });
    const order = env.cloud.order('delete');
    assert.equal(order.at(-1), 'fake:item.a');
    assert.ok(order.indexOf('fake:item.c') < order.indexOf('fake:item.b'));
    assert.equal(env.cloud.resources.size, 0);
  });

  it('skips the dependencies of a deletion that failed', async () => {
    const env = createFakeEnv();
    for (const name of ['a', 'b']) env.cloud.seed(`fake:item.${name}`, {});
    env.cloud.fail('fake:item.b', { op: 'delete' });
    const { status } = await run(env, fakePlan([fakeNode('a', {}), fakeNode('b', {}, { dependsOn: ['a'] })]), { intent: 'dismantle' });
    assert.deepEqual(status, { a: 'skipped', b: 'failed' });
  });

  it('replaces by deleting then creating, and keeps the snapshot cache current', async () => {
    const env = createFakeEnv();
    env.cloud.seed('fake:item.a', { region: 'us' });
    env.cloud.seed('fake:item.gone', {});
    const { status, events } = await run(env, fakePlan([fakeNode('a', { region: 'eu' })]));
    assert.deepEqual(status, { a: 'done', gone: 'done' });
    assert.deepEqual(
      env.cloud.calls.filter((c) => c.address === 'fake:item.a' && c.op !== 'read').map((c) => c.op),
      ['delete', 'create'],
    );
    assert.equal(env.store.get('test/dev', 'fake:item.a')?.live.identity, 'fake-3');
    assert.equal(env.store.get('test/dev', 'fake:item.gone'), undefined);
    assert.ok(events.some((e) => e.kind === 'node.output' && e.data.line === 'wrote fake:item.a value=null'));
  });

  it('fails a node whose reference is still unknown after its dependency finished', async () => {
    const env = createFakeEnv();
    const { results } = await run(env, fakePlan([fakeNode('a', {}), fakeNode('b', { note: ref('a', 'missing') })]));
    assert.equal(results[1]?.error?.code, 'RS_ENGINE_E0007');
    assert.match(results[1].error.message, /"\/note" \("\$\{res\.a\.missing\}"\)/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listErrors } from '../core/errors.ts';
import type { Plan } from '../plan/ir.ts';
import type { RunEvent } from './events.ts';
import { alignStack, commitStack, dismantleStack, previewStack, type StackRunOptions } from './run.ts';
import { StalePlanError } from './saved-plan.ts';
import { createFakeEnv, type FakeEnv } from './testing/fake-env.ts';
import { fakeNode, fakePlan, ref } from './testing/plan-builder.ts';

function base(env: FakeEnv, plan: Plan, events: RunEvent[] = []): StackRunOptions {
  return {
    plan,
    registry: env.registry,
    store: env.store,
    history: env.history,
    user: 'ada',
    runId: 'run-1',
    now: env.clock.now,
    sleep: env.clock.sleep,
    listener: (event) => {
      events.push(event);
    },
  };
}

const STACK = fakePlan([fakeNode('web', { value: 'w', note: ref('db', 'id') }), fakeNode('db', { value: 'd' })]);

describe('previewStack()', () => {
  it('emits run.started, plan.built, run.finished and records the run', async () => {
    const env = createFakeEnv();
    const events: RunEvent[] = [];
    const outcome = await previewStack(base(env, STACK, events));
    assert.deepEqual(events.map((e) => e.kind), ['run.started', 'plan.built', 'run.finished']);
    assert.deepEqual(events.map((e) => e.code), ['RS_ENGINE_I0001', 'RS_ENGINE_I0002', 'RS_ENGINE_I0006']);
    assert.equal(events[1]?.message, 'Planned 2 changes for 2 resources');
    assert.equal(outcome.counts.create, 2);
    assert.deepEqual(env.cloud.order('create'), []);
    assert.deepEqual(env.history.runs.map((r) => [r.verb, r.user, r.stack]), [['preview', 'ada', 'test/dev']]);
  });

  it('previews a dismantle as deletions of what exists', async () => {
    const env = createFakeEnv();
    env.cloud.seed('fake:item.db', { value: 'd' });
    const outcome = await previewStack({ ...base(env, STACK), intent: 'dismantle' });
    assert.deepEqual(outcome.changeSet.changes.map((c) => [c.nodeId, c.change.kind]), [['fake:item.db', 'delete']]);
  });
});

describe('commitStack()', () => {
  it('creates the stack, after which a preview shows no changes', async () => {
    const env = createFakeEnv();
    const events: RunEvent[] = [];
    const outcome = await commitStack(base(env, STACK, events));
    assert.deepEqual([outcome.summary.verb, outcome.summary.done, outcome.summary.failed], ['commit', 2, 0]);
    assert.deepEqual(env.cloud.order('create'), ['fake:item.db', 'fake:item.web']);
    assert.deepEqual(events.map((e) => e.kind), ['run.started', 'plan.built', 'node.started', 'node.output', 'node.finished', 'node.started', 'node.output', 'node.finished', 'run.finished']);
    const again = await previewStack(base(env, STACK));
    assert.deepEqual(again.counts, { create: 0, update: 0, replace: 0, delete: 0, noop: 2, drift: 0 });
  });

  it('commits a saved plan whose live state has not moved', async () => {
    const env = createFakeEnv();
    env.cloud.seed('fake:item.db', { value: 'old' });
    const preview = await previewStack(base(env, STACK));
    const outcome = await commitStack({ ...base(env, STACK), savedPlan: { configHash: STACK.configHash, liveFingerprints: preview.changeSet.liveFingerprints } });
    assert.equal(outcome.summary.done, 2);
  });

  it('refuses a saved plan when live state moved, naming the moved nodes', async () => {
    const env = createFakeEnv();
    env.cloud.seed('fake:item.db', { value: 'old' });
    const preview = await previewStack(base(env, STACK));
    env.cloud.tamper('fake:item.db', { mode: '0600' });
    const events: RunEvent[] = [];
    await assert.rejects(
      commitStack({ ...base(env, STACK, events), savedPlan: { configHash: STACK.configHash, liveFingerprints: preview.changeSet.liveFingerprints } }),
      (error: unknown) => error instanceof StalePlanError && error.code === 'RS_ENGINE_E0004' && error.moved.join() === 'fake:item.db' && error.message.includes('"fake:item.db"'),
    );
    assert.deepEqual(env.cloud.order('create'), []);
    assert.deepEqual(env.cloud.order('update'), []);
    assert.equal(events.at(-1)?.kind, 'run.finished');
    assert.equal(events.at(-1)?.level, 'error');
  });

  it('refuses a saved plan when a resource appeared since it was saved', async () => {
    const env = createFakeEnv();
    const preview = await previewStack(base(env, STACK));
    env.cloud.seed('fake:item.web', { value: 'w' });
    await assert.rejects(
      commitStack({ ...base(env, STACK), savedPlan: { configHash: STACK.configHash, liveFingerprints: preview.changeSet.liveFingerprints } }),
      (error: unknown) => error instanceof StalePlanError && error.moved.join() === 'fake:item.web',
    );
  });

  it('refuses a saved plan made from another configuration', async () => {
    const env = createFakeEnv();
    await assert.rejects(
      commitStack({ ...base(env, STACK), savedPlan: { configHash: 'other', liveFingerprints: {} } }),
      (error: unknown) => listErrors(error)[0]?.code === 'RS_ENGINE_E0005',
    );
  });

  it('limits the work to the targets and their dependencies', async () => {
    const env = createFakeEnv();
    const plan = fakePlan([...STACK.nodes, fakeNode('other', {})]);
    await commitStack({ ...base(env, plan), targets: ['fake:item.web'] });
    assert.deepEqual(env.cloud.order('create'), ['fake:item.db', 'fake:item.web']);
  });

  it('never shows a secret in events, even in provider output', async () => {
    const env = createFakeEnv();
    const events: RunEvent[] = [];
    const plan = fakePlan([fakeNode('db', { value: 'hunter2' })], { secrets: ['hunter2'] });
    await commitStack(base(env, plan, events));
    const text = JSON.stringify(events);
    assert.doesNotMatch(text, /hunter2/);
    assert.ok(events.some((e) => e.kind === 'node.output' && e.data.line === 'wrote fake:item.db value="(secret)"'));
    assert.equal(env.store.get('test/dev', 'fake:item.db')?.live.properties['value'], '(secret)');
  });

  it('reports a failing listener without failing the run', async () => {
    const env = createFakeEnv();
    const outcome = await commitStack({
      ...base(env, STACK),
      listeners: [
        () => {
          throw new Error('pipe closed');
        },
      ],
    });
    assert.equal(outcome.summary.done, 2);
    assert.equal(outcome.listenerErrors.length, 9);
    assert.equal(outcome.listenerErrors[0]?.code, 'RS_ENGINE_E0009');
  });
});

describe('alignStack()', () => {
  // heal: autoHeal; notify: autoHeal but notifyOnly; plain: no autoHeal; missing: does not exist.
  const plan = fakePlan([
    fakeNode('heal', { value: 'v' }, { driftPolicy: { autoHeal: true } }),
    fakeNode('notify', { value: 'v' }, { driftPolicy: { autoHeal: true, notifyOnly: true } }),
    fakeNode('plain', { value: 'v' }),
    fakeNode('missing', { value: 'v' }),
  ]);

  function world(): FakeEnv {
    const env = createFakeEnv();
    for (const name of ['heal', 'notify', 'plain']) {
      env.cloud.seed(`fake:item.${name}`, { value: 'v' });
      env.cloud.tamper(`fake:item.${name}`, { mode: '0600' });
    }
    env.cloud.seed('fake:item.orphan', {});
    return env;
  }

  it('heals drift on auto-heal nodes and missing resources, and only reports the rest', async () => {
    const env = world();
    const outcome = await alignStack(base(env, plan));
    assert.deepEqual(outcome.healed.map((c) => c.nodeId), ['fake:item.heal', 'fake:item.missing']);
    assert.deepEqual(outcome.reported.map((c) => [c.nodeId, c.change.kind]), [
      ['fake:item.notify', 'update'],
      ['fake:item.plain', 'update'],
      ['fake:item.orphan', 'delete'],
    ]);
    assert.equal(env.cloud.resources.get('fake:item.heal')?.properties['mode'], '0644');
    assert.equal(env.cloud.resources.get('fake:item.notify')?.properties['mode'], '0600');
    assert.ok(env.cloud.resources.has('fake:item.orphan'));
    assert.deepEqual([outcome.summary.verb, outcome.summary.done], ['align', 2]);
  });

  it('resolves references of a healed node to nodes it does not touch', async () => {
    const env = createFakeEnv();
    const linked = fakePlan([fakeNode('base', { value: 'b' }), fakeNode('user', { value: ref('base', 'arn') }, { driftPolicy: { autoHeal: true } })]);
    await commitStack(base(env, linked));
    env.cloud.tamper('fake:item.user', { mode: '0600' });
    const outcome = await alignStack(base(env, linked));
    assert.deepEqual(outcome.healed.map((c) => c.nodeId), ['fake:item.user']);
    assert.equal(outcome.summary.failed, 0);
    assert.equal(env.cloud.resources.get('fake:item.user')?.properties['mode'], '0644');
  });

  it('only reports when auto-heal is turned off', async () => {
    const env = world();
    const outcome = await alignStack({ ...base(env, plan), autoHeal: false });
    assert.deepEqual(outcome.healed, []);
    assert.equal(outcome.reported.length, 5);
    assert.deepEqual([...env.cloud.order('create'), ...env.cloud.order('update'), ...env.cloud.order('delete')], []);
  });
});

describe('dismantleStack()', () => {
  it('deletes everything the stack owns, dependents first, including resources dropped from config', async () => {
    const env = createFakeEnv();
    await commitStack(base(env, STACK));
    env.cloud.seed('fake:item.orphan', {});
    const outcome = await dismantleStack({ ...base(env, STACK), parallelism: 1 });
    assert.equal(outcome.summary.done, 3);
    const order = env.cloud.order('delete');
    assert.ok(order.indexOf('fake:item.web') < order.indexOf('fake:item.db'));
    assert.equal(env.cloud.resources.size, 0);
    assert.equal(env.store.snapshots.size, 0);
  });

  it('limits deletion to the targets and their dependents', async () => {
    const env = createFakeEnv();
    const plan = fakePlan([...STACK.nodes, fakeNode('other', {})]);
    await commitStack(base(env, plan));
    await dismantleStack({ ...base(env, plan), targets: ['fake:item.db'] });
    assert.deepEqual(env.cloud.order('delete').sort(), ['fake:item.db', 'fake:item.web']);
    assert.deepEqual([...env.cloud.resources.keys()], ['fake:item.other']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listErrors } from '../core/errors.ts';
import type { Plan } from '../plan/ir.ts';
import type { NodeChange } from './changes.ts';
import { observePlan, redactorFor } from './observe.ts';
import { countChanges, listDrift, planChanges, type PlanIntent } from './plan-changes.ts';
import { createFakeEnv, type FakeEnv } from './testing/fake-env.ts';
import { fakeId, fakeNode, fakePlan, ref } from './testing/plan-builder.ts';

async function plan(env: FakeEnv, p: Plan, options: { intent?: PlanIntent; targets?: string[] } = {}) {
  const observation = await observePlan(p, { registry: env.registry, store: env.store, now: env.clock.now });
  return planChanges(observation, { redactor: redactorFor(p), ...options });
}

function kinds(changes: readonly NodeChange[]): [string, string][] {
  return changes.map((c) => [c.nodeId, c.change.kind]);
}

describe('observePlan() + planChanges()', () => {
  it('plans creates in plan order, with values of resources still to create unknown unless planned', async () => {
    const env = createFakeEnv();
    const p = fakePlan([fakeNode('app', { value: ref('db', 'value'), note: ref('db', 'id') }), fakeNode('db', { value: 'pg' })]);
    const changeSet = await plan(env, p);
    assert.deepEqual(kinds(changeSet.changes), [
      ['fake:item.app', 'create'],
      ['fake:item.db', 'create'],
    ]);
    const app = changeSet.changes[0]?.change;
    assert.deepEqual(app?.kind === 'create' ? app.after : undefined, { properties: { value: 'pg', mode: '0644' }, unknownPaths: ['/note'] });
    assert.deepEqual(changeSet.changes[0]?.dependsOn, [fakeId('db')]);
  });

  it('resolves references to unchanged resources from their live attributes', async () => {
    const env = createFakeEnv();
    env.cloud.seed('fake:item.db', { value: 'pg' });
    const p = fakePlan([fakeNode('app', { note: ref('db', 'id') }), fakeNode('db', { value: 'pg' })]);
    const changeSet = await plan(env, p);
    const app = changeSet.changes[0]?.change;
    assert.deepEqual(app?.kind === 'create' ? app.after : undefined, { properties: { note: 'fake-1', mode: '0644' }, unknownPaths: [] });
    assert.equal(changeSet.changes[1]?.change.kind, 'no-op');
  });

  it('reports drift on managed fields and an extra tag, and classifies update and replace', async () => {
    const env = createFakeEnv();
    env.cloud.seed('fake:item.web', { value: 'v', tags: { team: 'a', env: 'qa' } });
    env.cloud.tamper('fake:item.web', { mode: '0600' });
    env.cloud.seed('fake:item.db', { value: 'v', region: 'us' });
    const p = fakePlan([fakeNode('db', { value: 'v', region: 'eu' }), fakeNode('web', { value: 'v', tags: { team: 'a' } })]);
    const changeSet = await plan(env, p);
    assert.deepEqual(kinds(changeSet.changes), [
      ['fake:item.db', 'replace'],
      ['fake:item.web', 'update'],
    ]);
    assert.deepEqual(
      listDrift(changeSet).map((d) => `${d.nodeId} ${d.description}`),
      ['fake:item.db region is "us" (expected "eu")', 'fake:item.web mode is "0600" (expected "0644")', 'fake:item.web has extra tag "env=qa"'],
    );
    const db = changeSet.changes[0]?.change;
    assert.equal(db?.kind === 'replace' ? db.reason : '', 'changing "region" forces replacement');
    assert.deepEqual(countChanges(changeSet), { create: 0, update: 1, replace: 1, delete: 0, noop: 0, drift: 3 });
  });

  it('reports a resource seen before and gone now as deleted out of band until it is re-created', async () => {
    const env = createFakeEnv();
    env.cloud.seed('fake:item.web', { value: 'v' });
    const p = fakePlan([fakeNode('web', { value: 'v' }), fakeNode('fresh', { value: 'n' })]);
    assert.deepEqual(listDrift(await plan(env, p)), []);
    env.cloud.resources.delete('fake:item.web');
    for (let run = 0; run < 2; run++) {
      const changeSet = await plan(env, p);
      assert.deepEqual(kinds(changeSet.changes), [
        ['fake:item.web', 'create'],
        ['fake:item.fresh', 'create'],
      ]);
      assert.deepEqual(
        listDrift(changeSet).map((d) => d.description.replace(/\(last seen [^)]*\)/, '(last seen T)')),
        ['was deleted outside Runestone (last seen T)'],
      );
    }
    const dismantle = await observePlan(p, { registry: env.registry, store: env.store, now: env.clock.now, forgetMissing: true });
    assert.equal(dismantle.nodes.get(fakeId('web'))?.lastSeenAt !== undefined, true);
    assert.deepEqual(listDrift(await plan(env, p)), []);
  });

  it('turns discovered resources that config no longer declares into deletions, after the plan', async () => {
    const env = createFakeEnv();
    env.cloud.seed('fake:item.old', { value: 'x' });
    env.cloud.seed('fake:item.other-stack', { value: 'x' }, 'other/prod');
    const changeSet = await plan(env, fakePlan([fakeNode('new', { value: 'y' })]));
    assert.deepEqual(kinds(changeSet.changes), [
      ['fake:item.new', 'create'],
      ['fake:item.old', 'delete'],
    ]);
    assert.equal(changeSet.changes[1]?.name, 'old');
  });

  it('fingerprints live state per address and writes redacted snapshots', async () => {
    const env = createFakeEnv();
    env.cloud.seed('fake:item.a', { value: 's3cret' });
    const p = fakePlan([fakeNode('a', { value: 's3cret' }), fakeNode('b', { value: 'x' })], { secrets: ['s3cret'] });
    const changeSet = await plan(env, p);
    assert.deepEqual(Object.keys(changeSet.liveFingerprints).sort(), ['fake:item.a', 'fake:item.b']);
    assert.match(changeSet.liveFingerprints['fake:item.a'] ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(env.store.get('test/dev', 'fake:item.a')?.live.properties, { value: '(secret)', mode: '0644' });
    assert.equal(env.store.get('test/dev', 'fake:item.b'), undefined);
  });

  it('reports every invalid node together with RS_ENGINE_E0002 and its origin', async () => {
    const env = createFakeEnv();
    const p = fakePlan([fakeNode('a', { colour: 'red' }, { line: 4 }), fakeNode('b', { value: 3 }, { line: 9 })]);
    const error = await plan(env, p).then(
      () => undefined,
      (e: unknown) => e,
    );
    const errors = listErrors(error);
    assert.deepEqual(
      errors.map((e) => [e.code, e.location?.line]),
      [
        ['RS_ENGINE_E0002', 4],
        ['RS_ENGINE_E0002', 9],
      ],
    );
    assert.match(errors[0]?.message ?? '', /Unknown key "colour"/);
  });

  it('wraps a failed read with the node and keeps its code', async () => {
    const env = createFakeEnv();
    env.cloud.fail('fake:item.a', { op: 'read', message: 'Cannot read "fake:item.a": throttled' });
    const error = await plan(env, fakePlan([fakeNode('a', {})])).catch((e: unknown) => e);
    assert.deepEqual(listErrors(error).map((e) => e.code), ['RS_ENGINE_E0008']);
  });

  it('does not check schema rules at unknown pointers', async () => {
    const env = createFakeEnv();
    const p = fakePlan([fakeNode('a', { value: ref('b', 'id') }), fakeNode('b', {})]);
    const changeSet = await plan(env, p);
    assert.equal(changeSet.changes.length, 2);
  });

  describe('targets', () => {
    // c depends on b depends on a; d is independent.
    const p = fakePlan([fakeNode('a', {}), fakeNode('b', {}, { dependsOn: ['a'] }), fakeNode('c', {}, { dependsOn: ['b'] }), fakeNode('d', {})]);

    it('limits a converge plan to the targets and their dependencies', async () => {
      const changeSet = await plan(createFakeEnv(), p, { targets: ['fake:item.b'] });
      assert.deepEqual(changeSet.changes.map((c) => c.nodeId), ['fake:item.a', 'fake:item.b']);
      assert.deepEqual(Object.keys(changeSet.liveFingerprints).sort(), ['fake:item.a', 'fake:item.b']);
    });

    it('limits a dismantle plan to the targets and their dependents', async () => {
      const env = createFakeEnv();
      for (const name of ['a', 'b', 'c', 'd']) env.cloud.seed(`fake:item.${name}`, {});
      const changeSet = await plan(env, p, { intent: 'dismantle', targets: ['fake:item.b'] });
      assert.deepEqual(kinds(changeSet.changes), [
        ['fake:item.b', 'delete'],
        ['fake:item.c', 'delete'],
      ]);
    });

    it('rejects a target that matches nothing with RS_ENGINE_E0006', async () => {
      await assert.rejects(plan(createFakeEnv(), p, { targets: ['fake:item.zz'] }), (e: unknown) => listErrors(e)[0]?.code === 'RS_ENGINE_E0006');
    });
  });
});

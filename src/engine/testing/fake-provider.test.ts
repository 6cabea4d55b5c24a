import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError } from '../../core/errors.ts';
import type { DesiredResource, KindHandler, ProviderContext } from '../../providers/contract.ts';
import { createFakeEnv } from './fake-env.ts';
import { FAKE_KIND } from './fake-provider.ts';

function setup() {
  const env = createFakeEnv();
  const provider = env.registry.instance('fake');
  const handler = provider?.kinds.get(FAKE_KIND) as KindHandler;
  const lines: string[] = [];
  const ctx: ProviderContext = { signal: new AbortController().signal, stack: 'test/dev', baseDir: '/tmp', dryRun: false, output: (line) => lines.push(line) };
  const desired = (name: string, properties: DesiredResource['properties'] = { value: 'v' }): DesiredResource => ({ address: `${FAKE_KIND}.${name}`, kind: FAKE_KIND, name, properties });
  return { ...env, provider: provider!, handler, ctx, lines, desired };
}

describe('FakeCloud', () => {
  it('creates, reads, updates and deletes a resource, keeping its identity', async () => {
    const { handler, ctx, desired, cloud, lines } = setup();
    const created = await handler.create(desired('a'), ctx);
    assert.deepEqual(created.attributes, { id: 'fake-1', arn: 'fake:::fake:item.a', value: 'v' });
    assert.deepEqual(created.owner, { stack: 'test/dev', address: 'fake:item.a' });
    const updated = await handler.update(desired('a', { value: 'w' }), created, [], ctx);
    assert.equal(updated.identity, 'fake-1');
    assert.deepEqual((await handler.read(desired('a'), ctx))?.properties, { value: 'w' });
    await handler.delete(updated, ctx);
    assert.equal(await handler.read(desired('a'), ctx), undefined);
    assert.deepEqual(cloud.order('create'), ['fake:item.a']);
    assert.deepEqual(lines, ['wrote fake:item.a value="v"', 'wrote fake:item.a value="w"', 'deleted fake:item.a']);
  });

  it('discovers only the resources owned by the context stack', async () => {
    const { provider, ctx, cloud } = setup();
    cloud.seed('fake:item.mine', { value: '1' });
    cloud.seed('fake:item.theirs', { value: '2' }, 'other/prod');
    const owned = await provider.discover({ ...ctx, snapshots: { list: () => Promise.resolve([]) }, instance: 'fake' });
    assert.deepEqual(owned.map((o) => o.address), ['fake:item.mine']);
  });

  it('fails retryably the given number of times, then succeeds', async () => {
    const { handler, ctx, desired, cloud } = setup();
    cloud.fail('fake:item.a', { times: 2, retryable: true });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(handler.create(desired('a'), ctx), (error: unknown) => error instanceof ProviderError && error.retryable && error.code === 'RS_ENGINE_E0008');
    }
    await handler.create(desired('a'), ctx);
    assert.equal(cloud.order('create').length, 3);
  });

  it('fails reads only when told to', async () => {
    const { handler, ctx, desired, cloud } = setup();
    cloud.fail('fake:item.a');
    assert.equal(await handler.read(desired('a'), ctx), undefined);
    cloud.fail('fake:item.a', { op: 'read' });
    await assert.rejects(handler.read(desired('a'), ctx), ProviderError);
  });

  it('sleeps on the injected clock when slow and tracks calls in flight', async () => {
    const { handler, ctx, desired, cloud, clock } = setup();
    cloud.delay('fake:item.a', 5000);
    cloud.delay('fake:item.b', 1000);
    const start = clock.now();
    await Promise.all([handler.create(desired('a'), ctx), handler.create(desired('b'), ctx)]);
    assert.equal(clock.now() - start, 5000);
    assert.equal(cloud.maxInFlight, 2);
  });

  it('lets tests tamper with live properties', async () => {
    const { handler, ctx, desired, cloud } = setup();
    cloud.seed('fake:item.a', { value: 'v' });
    cloud.tamper('fake:item.a', { mode: '0600' });
    assert.deepEqual((await handler.read(desired('a'), ctx))?.properties, { value: 'v', mode: '0600' });
    assert.deepEqual((await handler.read(desired('a'), ctx))?.attributes['id'], 'fake-1');
    assert.deepEqual(handler.plannedAttributes?.(desired('b')), { arn: 'fake:::fake:item.b', value: 'v' });
  });
});

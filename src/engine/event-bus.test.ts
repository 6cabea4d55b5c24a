import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from '../core/redactor.ts';
import { EventBus } from './event-bus.ts';
import type { RunEvent } from './events.ts';

function started(user: string): RunEvent {
  return { kind: 'run.started', runId: 'r1', time: '2025-01-01T00:00:00.000Z', level: 'info', message: `Started by ${user}`, data: { verb: 'preview', stack: 's', user } };
}

describe('EventBus', () => {
  it('delivers events in order to async listeners without waiting for them', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    bus.on(async (event) => {
      await gate;
      seen.push(event.message);
    });
    bus.emit(started('a'));
    bus.emit(started('b'));
    assert.deepEqual(seen, []);
    release();
    await bus.flush();
    assert.deepEqual(seen, ['Started by a', 'Started by b']);
  });

  it('redacts secrets before listeners see events', async () => {
    const redactor = new Redactor();
    redactor.add('hunter2');
    const bus = new EventBus({ redactor });
    const seen: RunEvent[] = [];
    bus.on((event) => {
      seen.push(event);
    });
    bus.emit(started('hunter2'));
    await bus.flush();
    assert.equal(seen[0]?.message, 'Started by (secret)');
    assert.doesNotMatch(JSON.stringify(seen), /hunter2/);
  });

  it('records a failing listener as RS_ENGINE_E0009 and keeps delivering to the others', async () => {
    const reported: string[] = [];
    const bus = new EventBus({ onListenerError: (error) => reported.push(error.code) });
    const seen: string[] = [];
    bus.on(() => {
      throw new Error('disk full');
    });
    bus.on(() => Promise.reject(new Error('closed')));
    bus.on((event) => {
      seen.push(event.kind);
    });
    bus.emit(started('a'));
    await bus.flush();
    assert.deepEqual(seen, ['run.started']);
    assert.deepEqual(reported, ['RS_ENGINE_E0009', 'RS_ENGINE_E0009']);
    assert.match(bus.listenerErrors[0]?.message ?? '', /disk full/);
  });

  it('stops delivering to a removed listener', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const off = bus.on((event) => {
      seen.push(event.kind);
    });
    off();
    bus.emit(started('a'));
    await bus.flush();
    assert.deepEqual(seen, []);
  });
});

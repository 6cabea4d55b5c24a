import { RunestoneError } from '../core/errors.ts';
import { Redactor } from '../core/redactor.ts';
import type { ErrorInfo, EventListener, RunEvent } from './events.ts';

/** Options for {@link EventBus}. */
export interface EventBusOptions {
  /** Every event passes through it before any listener sees it. */
  readonly redactor?: Redactor;
  /** Called once per listener failure, besides recording it in {@link EventBus.listenerErrors}. */
  readonly onListenerError?: (error: ErrorInfo, event: RunEvent) => void;
}

interface Subscription {
  readonly listener: EventListener;
  /** The listener's previous delivery; the next one chains on it so each listener sees events in order. */
  tail: Promise<void>;
}

/**
 * A typed emitter of {@link RunEvent}s. `emit` never waits for listeners: each listener
 * receives events in emission order on its own promise chain, so a slow JSONL writer
 * cannot slow the executor. Events are redacted before delivery. A listener that throws
 * (or rejects) does not stop the run: the failure is recorded as `RS_ENGINE_E0009` in
 * {@link EventBus.listenerErrors} and passed to `onListenerError`.
 *
 * Call {@link EventBus.flush} at the end of a run to wait for every delivery.
 */
export class EventBus {
  readonly #subscriptions: Subscription[] = [];
  readonly #redactor: Redactor;
  readonly #onListenerError: ((error: ErrorInfo, event: RunEvent) => void) | undefined;
  readonly #listenerErrors: ErrorInfo[] = [];

  constructor(options: EventBusOptions = {}) {
    this.#redactor = options.redactor ?? new Redactor();
    this.#onListenerError = options.onListenerError;
  }

  /** Adds a listener; returns a function that removes it. */
  on(listener: EventListener): () => void {
    const subscription: Subscription = { listener, tail: Promise.resolve() };
    this.#subscriptions.push(subscription);
    return () => {
      const index = this.#subscriptions.indexOf(subscription);
      if (index !== -1) this.#subscriptions.splice(index, 1);
    };
  }

  /** Redacts `event` and queues it for every listener; returns at once. */
  emit(event: RunEvent): void {
    if (this.#subscriptions.length === 0) return;
    const safe = this.#redactor.redact(event);
    for (const subscription of this.#subscriptions) {
      subscription.tail = subscription.tail
        .then(() => subscription.listener(safe))
        .catch((error: unknown) => {
          this.#report(error, safe);
        });
    }
  }

  /** Resolves once every event emitted so far has been delivered to every listener. */
  async flush(): Promise<void> {
    await Promise.all(this.#subscriptions.map((s) => s.tail));
  }

  /** Listener failures so far (redacted, safe to show). */
  get listenerErrors(): readonly ErrorInfo[] {
    return this.#listenerErrors;
  }

  #report(error: unknown, event: RunEvent): void {
    const detail = error instanceof Error ? error.message : String(error);
    const info: ErrorInfo = {
      code: 'RS_ENGINE_E0009',
      message: this.#redactor.redactText(`Event listener failed on "${event.kind}": ${detail}`),
      ...(error instanceof RunestoneError && error.hint !== undefined ? { hint: error.hint } : {}),
    };
    this.#listenerErrors.push(info);
    this.#onListenerError?.(info, event);
  }
}

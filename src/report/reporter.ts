import { assertNever } from '../core/index.ts';
import type { Redactor } from '../core/index.ts';
import type { ChangeSet } from '../engine/changes.ts';
import type { EventListener, NodeResult, RunEvent, RunSummary } from '../engine/events.ts';
import type { OutputWriter } from './output-writer.ts';

type EventOf<K extends RunEvent['kind']> = Extract<RunEvent, { readonly kind: K }>;

/**
 * A consumer of run events. Every hook is optional and may be async; the engine awaits
 * none of them for correctness, and a reporter never changes engine state (it gets readonly
 * data). `onEvent` sees every event first; the typed hooks follow.
 */
export interface Reporter {
  onEvent?(event: RunEvent): void | Promise<void>;
  onRunStart?(event: EventOf<'run.started'>): void | Promise<void>;
  onPlanReady?(changes: ChangeSet, event: EventOf<'plan.built'>): void | Promise<void>;
  onNodeStart?(event: EventOf<'node.started'>): void | Promise<void>;
  onNodeOutput?(event: EventOf<'node.output'>): void | Promise<void>;
  /** A provider retried an API call (`provider.retry`); most reporters ignore it. */
  onProviderRetry?(event: EventOf<'provider.retry'>): void | Promise<void>;
  onNodeResult?(result: NodeResult, event: EventOf<'node.finished'>): void | Promise<void>;
  onRunEnd?(summary: RunSummary, event: EventOf<'run.finished'>): void | Promise<void>;
}

/** What a reporter factory gets from the CLI. */
export interface ReporterContext {
  readonly writer: OutputWriter;
  /** Secrets to redact from everything written. */
  readonly redactor?: Redactor;
}

/** Creates a reporter for one run (or one `align --watch` session). */
export type ReporterFactory = (context: ReporterContext) => Reporter;

/** Calls the reporter's hooks for one event: `onEvent` first, then the typed hook. */
export async function dispatchEvent(reporter: Reporter, event: RunEvent): Promise<void> {
  await reporter.onEvent?.(event);
  switch (event.kind) {
    case 'run.started':
      await reporter.onRunStart?.(event);
      return;
    case 'plan.built':
      await reporter.onPlanReady?.(event.data.changes, event);
      return;
    case 'node.started':
      await reporter.onNodeStart?.(event);
      return;
    case 'node.output':
      await reporter.onNodeOutput?.(event);
      return;
    case 'provider.retry':
      await reporter.onProviderRetry?.(event);
      return;
    case 'node.finished':
      await reporter.onNodeResult?.(event.data, event);
      return;
    case 'run.finished':
      await reporter.onRunEnd?.(event.data, event);
      return;
    default:
      assertNever(event);
  }
}

/**
 * Turns reporters into one event listener for the engine's bus; each event goes to every
 * reporter in order.
 *
 * @example
 * const listener = toEventListener([createConsoleReporter({ writer: stderr }), createJsonlWriter(file)]);
 */
export function toEventListener(reporters: readonly Reporter[]): EventListener {
  return async (event) => {
    for (const reporter of reporters) await dispatchEvent(reporter, event);
  };
}

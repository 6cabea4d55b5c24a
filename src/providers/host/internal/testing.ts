import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '../../../core/index.ts';
import { compileSchema } from '../../../schema/index.ts';
import type { Attributes } from '../../contract.ts';
import type { DesiredResource, FieldDiff, KindHandler, LiveState, ProviderContext } from '../../contract.ts';

/** A temp directory as `baseDir`, plus a context that records `ctx.output` lines. Test-only. */
export interface HostTestBed {
  readonly dir: string;
  readonly ctx: ProviderContext;
  readonly lines: { line: string; stream: 'stdout' | 'stderr' }[];
  cleanUp(): Promise<void>;
}

/** Creates a fresh temp directory and a context rooted in it. */
export async function createTestBed(): Promise<HostTestBed> {
  const dir = await mkdtemp(join(tmpdir(), 'runestone-host-'));
  const lines: { line: string; stream: 'stdout' | 'stderr' }[] = [];
  const ctx: ProviderContext = {
    signal: new AbortController().signal,
    stack: 'demo/test',
    baseDir: dir,
    output: (line, stream = 'stdout') => {
      lines.push({ line, stream });
    },
    dryRun: false,
  };
  return { dir, ctx, lines, cleanUp: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Builds a desired resource the way the engine does: properties validated against the
 * kind's real schema, with its defaults applied. Throws when the schema rejects them.
 */
export function desiredFor(handler: KindHandler, name: string, properties: JsonObject): DesiredResource {
  const copy = structuredClone(properties) as Record<string, unknown>;
  const issues = compileSchema(handler.schema)(copy);
  if (issues.length > 0) throw new Error(`Invalid test properties for ${handler.kind}: ${JSON.stringify(issues)}`);
  return { address: `${handler.kind}.${name}`, kind: handler.kind, name, properties: copy as JsonObject };
}

/** Calls a handler's `diff`, failing the test when the kind has none. */
export function diffOf(handler: KindHandler, desired: DesiredResource, live: LiveState): readonly FieldDiff[] {
  if (handler.diff === undefined) throw new Error(`${handler.kind} has no diff()`);
  return handler.diff(desired, live);
}

/** Calls a handler's `plannedAttributes`, failing the test when the kind has none. */
export function plannedOf(handler: KindHandler, desired: DesiredResource): Attributes {
  if (handler.plannedAttributes === undefined) throw new Error(`${handler.kind} has no plannedAttributes()`);
  return handler.plannedAttributes(desired);
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** One benchmark's figures, printed as one JSON line with `--json` (read by `run.ts`). */
export interface BenchResult {
  readonly bench: string;
  /** Resources (plan nodes) in the run. */
  readonly nodes: number;
  /** Wall time per stage in ms, in stage order. */
  readonly stages: Readonly<Record<string, number>>;
  /** Wall time of all stages, in ms. */
  readonly totalMs: number;
  /** Peak resident set size of the process, in MB (10^6 bytes). */
  readonly peakRssMb: number;
  /** Extra figures, e.g. nodes per second. */
  readonly extra?: Readonly<Record<string, number>>;
}

/** Times synchronous and asynchronous stages in order, by wall clock. */
export class Stopwatch {
  readonly stages: Record<string, number> = {};

  /** Runs `fn` and records its wall time under `name`. */
  async time<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const start = performance.now();
    const value = await fn();
    this.stages[name] = performance.now() - start;
    return value;
  }

  /** Sum of the recorded stages. */
  get totalMs(): number {
    return Object.values(this.stages).reduce((a, b) => a + b, 0);
  }
}

/** Peak RSS of this process so far, in MB; `maxRSS` is in KiB. */
export function peakRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / 1e6;
}

/** Reads the resource count (first positional argument) and `--json`. */
export function parseArgs(fallback: number): { readonly size: number; readonly json: boolean } {
  const args = process.argv.slice(2);
  const size = Number(args.find((a) => !a.startsWith('--')) ?? fallback);
  if (!Number.isInteger(size) || size <= 0) throw new Error(`Invalid resource count "${String(size)}": expected a positive integer`);
  return { size, json: args.includes('--json') };
}

/** Prints a result: one JSON line for `run.ts`, or a readable line. */
export function report(result: BenchResult, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  const stages = Object.entries(result.stages).map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`);
  const extra = Object.entries(result.extra ?? {}).map(([name, value]) => `${name} ${value.toFixed(0)}`);
  console.log(`${result.bench} ${result.nodes} nodes: ${[...stages, `total ${result.totalMs.toFixed(0)} ms`, `peak rss ${result.peakRssMb.toFixed(0)} MB`, ...extra].join(', ')}`);
}

/** Writes `text` as `runestone.yaml` in a new temp directory; returns it and a cleanup. */
export function writeStack(text: string): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'runestone-bench-'));
  writeFileSync(path.join(dir, 'runestone.yaml'), text);
  return { dir, remove: () => { rmSync(dir, { recursive: true, force: true }); } };
}

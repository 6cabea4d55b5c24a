// Runs every benchmark, each size in its own child process (so peak RSS is per benchmark),
// and prints the figures as Markdown tables. Figures only: nothing here asserts a timing.
// Each size runs `--repeat` times (default 3) and the run with the median total is shown,
// as a 2-core machine is noisy.
// Usage: npm run bench [-- [pipeline|engine|manifest] [1000 10000 ...] [--repeat N]]
// (default: every benchmark at 1000 10000 50000)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { BenchResult } from './measure.ts';

const DEFAULT_SIZES = [1_000, 10_000, 50_000];
const BENCHES = [
  { name: 'pipeline', script: 'pipeline-bench.ts', title: 'Load + validate + expand + graph + diff (nothing live: every node is a create)' },
  { name: 'engine', script: 'engine-bench.ts', title: 'Engine overhead with a provider that does nothing (parallelism 64)' },
  { name: 'manifest', script: 'manifest-bench.ts', title: 'manifest reconcile: N manifests in N directories' },
] as const;

const args = process.argv.slice(2);
const repeatAt = args.indexOf('--repeat');
const repeat = repeatAt === -1 ? 3 : Math.max(1, Number(args[repeatAt + 1]) || 1);
const sizes = args.filter((_, i) => repeatAt === -1 || i !== repeatAt + 1).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const only = BENCHES.filter((b) => args.includes(b.name));
const dir = import.meta.dirname;
let failed = false;

for (const bench of only.length > 0 ? only : BENCHES) {
  const results: BenchResult[] = [];
  for (const size of sizes.length > 0 ? sizes : DEFAULT_SIZES) {
    const runs: BenchResult[] = [];
    for (let i = 1; i <= repeat; i++) {
      process.stderr.write(`${bench.name} ${size} (${i}/${repeat})…\n`);
      const result = runChild(bench.script, size);
      if (result === undefined) failed = true;
      else runs.push(result);
    }
    const median = [...runs].sort((a, b) => a.totalMs - b.totalMs)[Math.floor((runs.length - 1) / 2)];
    if (median !== undefined) results.push(median);
  }
  console.log(`\n### ${bench.title}\n`);
  console.log(renderTable(results));
}
console.log(`\nNode ${process.version}, ${process.platform} ${process.arch}; median of ${repeat} run${repeat === 1 ? '' : 's'} by total`);
if (failed) process.exitCode = 1;

// Runs one benchmark in a child process; its last stdout line is the JSON result.
function runChild(script: string, size: number): BenchResult | undefined {
  const child = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', path.join(dir, script), String(size), '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    process.stderr.write(`${script} ${size} failed (exit ${String(child.status ?? child.signal)}):\n${child.stderr.slice(0, 4000)}\n`);
    return undefined;
  }
  return JSON.parse(line) as BenchResult;
}

function renderTable(results: readonly BenchResult[]): string {
  const stages = [...new Set(results.flatMap((r) => Object.keys(r.stages)))];
  const extras = [...new Set(results.flatMap((r) => Object.keys(r.extra ?? {})))];
  const header = ['nodes', ...stages.map((s) => `${s} ms`), 'total ms', 'peak RSS MB', ...extras];
  const rows = results.map((r) => [
    r.nodes.toLocaleString('en-US'),
    ...stages.map((s) => format(r.stages[s])),
    format(r.totalMs),
    format(r.peakRssMb),
    ...extras.map((e) => format(r.extra?.[e])),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

function format(value: number | undefined): string {
  return value === undefined ? '' : Math.round(value).toLocaleString('en-US');
}

// Runs every benchmark in its own process (so peak RSS is per benchmark) and prints a table.
// Figures only: nothing here asserts a timing. Record results in docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

const node = process.execPath;
const flags = ['--disable-warning=ExperimentalWarning'];
const run = (script: string, args: string[]): Record<string, number | string> =>
  JSON.parse(execFileSync(node, [...flags, new URL(script, import.meta.url).pathname, ...args], { encoding: 'utf8' }).trim()) as Record<string, number | string>;

console.log(`Runestone benchmarks — ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('Load + validate + expand + graph + diff (provider reports nothing live):');
console.log('resources | load ms | expand ms | graph ms | observe+diff ms | total ms | peak RSS MB');
for (const size of [1000, 10000, 50000]) {
  const r = run('./pipeline-bench.ts', [String(size)]);
  console.log(`${String(r['resources']).padStart(9)} | ${String(r['loadMs']).padStart(7)} | ${String(r['expandMs']).padStart(9)} | ${String(r['graphMs']).padStart(8)} | ${String(r['observeDiffMs']).padStart(15)} | ${String(r['totalMs']).padStart(8)} | ${String(r['peakRssMb']).padStart(11)}`);
}
console.log('\nEngine overhead (providers do nothing, parallelism 64):');
console.log('nodes | execute ms | nodes/s | peak RSS MB');
for (const size of [10000, 50000]) {
  const r = run('./engine-bench.ts', [String(size), '64']);
  console.log(`${String(r['nodes']).padStart(5)} | ${String(r['executeMs']).padStart(10)} | ${String(r['nodesPerSecond']).padStart(7)} | ${String(r['peakRssMb']).padStart(11)}`);
}

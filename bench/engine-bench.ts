// Engine overhead per node: execute N creates through executeChanges with providers that do
// nothing, at parallelism 64. Prints one JSON line of figures.
import { loadStack } from '../src/config/index.ts';
import { executeChanges, observePlan, planChanges } from '../src/engine/index.ts';
import { buildPlan } from '../src/plan/index.ts';
import { memoryFiles } from '../src/plan/testing/memory-files.ts';
import { ProviderRegistry } from '../src/providers/registry.ts';
import { Redactor } from '../src/core/index.ts';
import { generateStack } from './generate-stack.ts';
import { NOOP_PROVIDER } from './noop-provider.ts';

const size = Number(process.argv[2] ?? '10000');
const parallelism = Number(process.argv[3] ?? '64');
const files = memoryFiles({ 'runestone.yaml': generateStack(size) });
const registry = new ProviderRegistry([NOOP_PROVIDER]);
registry.instantiate('test', 'test', {});
const { plan } = buildPlan(loadStack({ files, paths: [], cwd: '/stack' }), { registry, files, cwd: '/stack' });
const redactor = new Redactor();
const changeSet = planChanges(await observePlan(plan, { registry, parallelism }), { redactor });

const start = performance.now();
const { summary } = await executeChanges(changeSet, { plan, registry, verb: 'commit', parallelism, redactor });
const elapsed = performance.now() - start;

console.log(
  JSON.stringify({
    bench: 'engine',
    nodes: changeSet.changes.length,
    done: summary.done,
    failed: summary.failed,
    parallelism,
    executeMs: Math.round(elapsed),
    nodesPerSecond: Math.round((summary.done / elapsed) * 1000),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

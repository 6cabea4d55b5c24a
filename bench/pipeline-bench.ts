// Load + validate + expand + graph + diff for N generated resources against a provider that
// reports nothing live. Prints one JSON line of figures; bench/run.ts runs it per size.
import { loadStack } from '../src/config/index.ts';
import { observePlan, planChanges } from '../src/engine/index.ts';
import { buildPlan, dependencyLayers } from '../src/plan/index.ts';
import { memoryFiles } from '../src/plan/testing/memory-files.ts';
import { ProviderRegistry } from '../src/providers/registry.ts';
import { Redactor } from '../src/core/index.ts';
import { generateStack } from './generate-stack.ts';
import { NOOP_PROVIDER } from './noop-provider.ts';

const size = Number(process.argv[2] ?? '10000');
const text = generateStack(size);
const files = memoryFiles({ 'runestone.yaml': text });
const registry = new ProviderRegistry([NOOP_PROVIDER]);
registry.instantiate('test', 'test', {});

const t0 = performance.now();
const config = loadStack({ files, paths: [], cwd: '/stack' });
const t1 = performance.now();
const { plan } = buildPlan(config, { registry, files, cwd: '/stack' });
const t2 = performance.now();
const layers = dependencyLayers(plan.nodes);
const t3 = performance.now();
const observation = await observePlan(plan, { registry, parallelism: 64 });
const changeSet = planChanges(observation, { redactor: new Redactor() });
const t4 = performance.now();

console.log(
  JSON.stringify({
    bench: 'pipeline',
    resources: plan.nodes.length,
    creates: changeSet.changes.filter((c) => c.change.kind === 'create').length,
    layers: layers.length,
    loadMs: Math.round(t1 - t0),
    expandMs: Math.round(t2 - t1),
    graphMs: Math.round(t3 - t2),
    observeDiffMs: Math.round(t4 - t3),
    totalMs: Math.round(t4 - t0),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

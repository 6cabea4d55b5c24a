// Load + validate + expand + graph + diff of a generated stack against a provider that
// reports nothing live (every node plans as a create). One size per process, so the peak
// RSS is this size's. Usage: node bench/pipeline-bench.ts [resources] [--json]
import { NODE_FILES } from '../src/cli/node-files.ts';
import { loadStack } from '../src/config/index.ts';
import { observePlan, planChanges, redactorFor } from '../src/engine/index.ts';
import { buildPlan, dependencyLayers } from '../src/plan/index.ts';
import { ProviderRegistry } from '../src/providers/registry.ts';
import { graphFromPlan, layerGraph } from '../src/report/index.ts';
import { generateStack } from './generate-stack.ts';
import { parseArgs, peakRssMb, report, Stopwatch, writeStack } from './measure.ts';
import { NULL_KIND, NULL_PROVIDER } from './null-provider.ts';

const { size, json } = parseArgs(10_000);
const stack = writeStack(generateStack(size, { kind: NULL_KIND }));
try {
  const watch = new Stopwatch();
  const registry = new ProviderRegistry([NULL_PROVIDER]);
  // Parse the YAML and validate it against the stack schema.
  const config = await watch.time('load', () => loadStack({ files: NODE_FILES, paths: [], cwd: stack.dir }));
  // Expand count/for_each, resolve references into edges, check properties, reject cycles.
  const { plan } = await watch.time('plan', () => buildPlan(config, { registry, files: NODE_FILES, cwd: stack.dir }));
  // The DAG in layers, as the executor orders it and `runestone graph` draws it.
  const layers = await watch.time('graph', () => {
    dependencyLayers(plan.nodes);
    return layerGraph(graphFromPlan(plan));
  });
  for (const provider of plan.providers) registry.instantiate(provider.name, provider.type, provider.config);
  const redactor = redactorFor(plan);
  // Read every node (nothing is live), resolve what can be, validate, diff and classify.
  const observation = await watch.time('observe', () => observePlan(plan, { registry, redactor }));
  const changeSet = await watch.time('changes', () => planChanges(observation, { redactor }));
  const creates = changeSet.changes.filter((c) => c.change.kind === 'create').length;
  if (creates !== plan.nodes.length) throw new Error(`Expected ${plan.nodes.length} creates, found ${creates}`);
  report({ bench: 'pipeline', nodes: plan.nodes.length, stages: watch.stages, totalMs: watch.totalMs, peakRssMb: peakRssMb(), extra: { layers: layers.length } }, json);
} finally {
  stack.remove();
}

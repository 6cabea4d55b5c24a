// Engine overhead per node when providers do nothing: a generated stack (chains of blocks
// plus fan-out, see generate-stack.ts) against a provider whose create returns at once,
// executed at parallelism 64. One size per process.
// Usage: node bench/engine-bench.ts [resources] [--json]
import { NODE_FILES } from '../src/cli/node-files.ts';
import { loadStack } from '../src/config/index.ts';
import { commitStack, executeChanges, observePlan, planChanges, redactorFor } from '../src/engine/index.ts';
import { buildPlan } from '../src/plan/index.ts';
import { ProviderRegistry } from '../src/providers/registry.ts';
import { generateStack } from './generate-stack.ts';
import { parseArgs, peakRssMb, report, Stopwatch, writeStack } from './measure.ts';
import { NULL_KIND, NULL_PROVIDER } from './null-provider.ts';

const PARALLELISM = 64;

const { size, json } = parseArgs(10_000);
const stack = writeStack(generateStack(size, { kind: NULL_KIND }));
try {
  const registry = new ProviderRegistry([NULL_PROVIDER]);
  const config = loadStack({ files: NODE_FILES, paths: [], cwd: stack.dir });
  const { plan } = buildPlan(config, { registry, files: NODE_FILES, cwd: stack.dir });
  for (const provider of plan.providers) registry.instantiate(provider.name, provider.type, provider.config);
  const redactor = redactorFor(plan);
  const changeSet = planChanges(await observePlan(plan, { registry, redactor, parallelism: PARALLELISM }), { redactor });

  const watch = new Stopwatch();
  // The scheduler alone: DAG order, limiter, just-in-time resolution, validation, provider call.
  const executed = await watch.time('execute', () => executeChanges(changeSet, { plan, registry, verb: 'commit', parallelism: PARALLELISM, redactor }));
  if (executed.summary.done !== plan.nodes.length) throw new Error(`Expected ${plan.nodes.length} nodes done, found ${executed.summary.done}`);
  // The whole verb, as the CLI runs it minus the store: observe, plan changes, execute, and
  // every event delivered to one listener (a reporter that does nothing).
  let events = 0;
  const listener = (): void => {
    events++;
  };
  const committed = await watch.time('commit', () => commitStack({ plan, registry, parallelism: PARALLELISM, listener, user: 'bench', runId: 'bench' }));
  if (committed.summary.done !== plan.nodes.length) throw new Error(`Expected ${plan.nodes.length} nodes done, found ${committed.summary.done}`);

  const nodes = plan.nodes.length;
  const executeMs = watch.stages['execute'] ?? Number.NaN;
  const commitMs = watch.stages['commit'] ?? Number.NaN;
  report(
    {
      bench: 'engine',
      nodes,
      stages: watch.stages,
      totalMs: watch.totalMs,
      peakRssMb: peakRssMb(),
      extra: { 'execute nodes/s': (nodes / executeMs) * 1000, 'commit nodes/s': (nodes / commitMs) * 1000, events },
    },
    json,
  );
} finally {
  stack.remove();
}

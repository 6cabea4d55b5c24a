import { loadStack } from '../src/config/index.ts';
import { buildPlan } from '../src/plan/index.ts';
import { memoryFiles } from '../src/plan/testing/memory-files.ts';
import { TEST_PROVIDER } from '../src/plan/testing/test-provider.ts';
import { ProviderRegistry } from '../src/providers/registry.ts';
import { generateStack } from './generate-stack.ts';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const size of sizes.length > 0 ? sizes : [1000, 10000]) {
  const text = generateStack(size);
  const files = memoryFiles({ 'runestone.yaml': text });
  const start = performance.now();
  const config = loadStack({ files, paths: [], cwd: '/stack' });
  const loaded = performance.now();
  const { plan } = buildPlan(config, { registry: new ProviderRegistry([TEST_PROVIDER]), files, cwd: '/stack' });
  const built = performance.now();
  console.log(`${plan.nodes.length} nodes: load ${(loaded - start).toFixed(0)} ms, plan ${(built - loaded).toFixed(0)} ms, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

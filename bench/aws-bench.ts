// The aws provider against a real moto server: for stacks of 20, 200 and 1000 S3 buckets
// with tags, the wall time of a preview (nothing exists yet), a commit, and a preview with
// no changes, and the AWS API calls each made, counted per operation through the SDK
// middleware (AwsClients' call counter; one count per call, not per retry attempt).
// Figures only: nothing here asserts a timing. Needs moto: `bash scripts/test-env/moto.sh install`.
// Usage: npm run bench:aws [-- 20 200 1000] [--json]
import { NODE_FILES } from '../src/cli/node-files.ts';
import { loadStack } from '../src/config/index.ts';
import { commitStack, previewStack } from '../src/engine/index.ts';
import { buildPlan } from '../src/plan/index.ts';
import { AWS_PROVIDER_TYPE, createAwsProvider } from '../src/providers/aws/index.ts';
import { ProviderRegistry } from '../src/providers/registry.ts';
import { startMoto, type Moto } from '../test/helpers/moto.ts';
import { writeStack } from './measure.ts';

const DEFAULT_SIZES = [20, 200, 1000];
/** The CLI's default `--parallelism`. */
const PARALLELISM = 10;

/** One verb's figures. */
interface VerbFigures {
  readonly ms: number;
  /** Calls per `service:Operation`. */
  readonly calls: Readonly<Record<string, number>>;
  readonly total: number;
}

function stackOf(buckets: number): string {
  return `project: bench
environment: dev
providers:
  aws: {}
resources:
  - kind: aws:s3:bucket
    name: data-\${index}
    count: ${buckets}
    properties:
      versioning: true
      tags: { team: data, cost-center: "\${index % 4 == 0 ? 'shared' : 'team'}" }
`;
}

async function measure(moto: Moto, buckets: number): Promise<Record<string, VerbFigures>> {
  await moto.reset();
  const stack = writeStack(stackOf(buckets));
  try {
    let calls: Record<string, number> = {};
    const type = { ...AWS_PROVIDER_TYPE, create: (config: Parameters<typeof createAwsProvider>[0]) => createAwsProvider(config, { countCalls: (service, operation) => {
      const key = `${service}:${operation}`;
      calls[key] = (calls[key] ?? 0) + 1;
    } }) };
    const registry = new ProviderRegistry([type]);
    const config = loadStack({ files: NODE_FILES, paths: [], cwd: stack.dir });
    const { plan } = buildPlan(config, { registry, files: NODE_FILES, cwd: stack.dir });
    for (const provider of plan.providers) registry.instantiate(provider.name, provider.type, provider.config);
    const base = { plan, registry, parallelism: PARALLELISM, user: 'bench' };
    const verb = async (run: () => Promise<unknown>): Promise<VerbFigures> => {
      calls = {};
      const start = performance.now();
      await run();
      const ms = performance.now() - start;
      const sorted = Object.fromEntries(Object.entries(calls).sort(([a], [b]) => a.localeCompare(b)));
      return { ms, calls: sorted, total: Object.values(calls).reduce((a, b) => a + b, 0) };
    };
    const figures: Record<string, VerbFigures> = {};
    figures['preview'] = await verb(async () => {
      const outcome = await previewStack(base);
      if (outcome.counts.create !== buckets) throw new Error(`Expected ${buckets} creates, found ${outcome.counts.create}`);
    });
    figures['commit'] = await verb(async () => {
      const outcome = await commitStack(base);
      if (outcome.summary.done !== buckets) throw new Error(`Expected ${buckets} buckets created, found ${outcome.summary.done}: ${JSON.stringify(outcome.results.find((r) => r.error !== undefined)?.error)}`);
    });
    figures['preview (no changes)'] = await verb(async () => {
      const outcome = await previewStack(base);
      const pending = outcome.changeSet.changes.filter((c) => c.change.kind !== 'no-op').length;
      if (pending !== 0) throw new Error(`Expected no changes, found ${pending}`);
    });
    return figures;
  } finally {
    stack.remove();
  }
}

const args = process.argv.slice(2);
const sizes = args.map(Number).filter((n) => Number.isInteger(n) && n > 0);
const json = args.includes('--json');
const moto = await startMoto();
// The SDK's credential chain reads the process environment (fake keys, region, endpoint).
Object.assign(process.env, moto.env);
try {
  const results: { buckets: number; figures: Record<string, VerbFigures> }[] = [];
  for (const buckets of sizes.length > 0 ? sizes : DEFAULT_SIZES) {
    process.stderr.write(`aws ${buckets} buckets…\n`);
    results.push({ buckets, figures: await measure(moto, buckets) });
  }
  if (json) console.log(JSON.stringify(results));
  else {
    console.log('\n### aws:s3:bucket against moto (parallelism 10)\n');
    console.log('| buckets | verb | wall ms | API calls | calls per bucket | calls by operation |');
    console.log('|--------:|------|--------:|----------:|-----------------:|--------------------|');
    for (const { buckets, figures } of results) {
      for (const [name, f] of Object.entries(figures)) {
        const ops = Object.entries(f.calls).map(([op, n]) => `${op} ${n}`).join(', ');
        console.log(`| ${buckets} | ${name} | ${Math.round(f.ms).toLocaleString('en-US')} | ${f.total.toLocaleString('en-US')} | ${(f.total / buckets).toFixed(1)} | ${ops} |`);
      }
    }
    console.log(`\nNode ${process.version}, ${process.platform} ${process.arch}, moto 5.2.5 on 127.0.0.1`);
  }
} finally {
  await moto.stop();
}

// Kubernetes provider against a real kube-apiserver (from `bash scripts/test-env/kube.sh
// install`), side by side with `kubectl apply --server-side` on the same manifests in the same
// run: N ConfigMaps + N Deployments, commit (create) and a no-change preview / re-apply.
// Figures only: nothing here asserts a timing.
// Usage: node --disable-warning=ExperimentalWarning bench/kube-bench.ts [N ...] (default 100 500)
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { kubeBinDir, startKube, type Kube } from '../test/helpers/kube.ts';

const BIN = path.join(import.meta.dirname, '..', 'bin', 'runestone');
const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);

function manifest(i: number, namespace: string): { configMap: object; deployment: object } {
  return {
    configMap: { metadata: { name: `settings-${i}`, namespace }, data: { index: String(i), mode: 'fast' } },
    deployment: {
      metadata: { name: `web-${i}`, namespace },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: `web-${i}` } },
        template: { metadata: { labels: { app: `web-${i}` } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', envFrom: [{ configMapRef: { name: `settings-${i}` } }] }] } },
      },
    },
  };
}

function stackYaml(n: number, namespace: string): string {
  const lines = ['project: bench', `environment: n${n}`, 'providers:', `  kubernetes: { namespace: ${namespace} }`, 'resources:', `  - { kind: "kubernetes:v1:Namespace", name: ${namespace} }`];
  for (let i = 0; i < n; i++) {
    const { configMap, deployment } = manifest(i, namespace);
    lines.push(`  - { kind: "kubernetes:v1:ConfigMap", name: settings-${i}, properties: ${JSON.stringify(configMap)} }`);
    lines.push(`  - { kind: "kubernetes:apps/v1:Deployment", name: web-${i}, properties: ${JSON.stringify(deployment)} }`);
  }
  return `${lines.join('\n')}\n`;
}

function kubectlYaml(n: number, namespace: string): string {
  const docs = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }];
  for (let i = 0; i < n; i++) {
    const { configMap, deployment } = manifest(i, namespace);
    docs.push({ apiVersion: 'v1', kind: 'ConfigMap', ...configMap } as never, { apiVersion: 'apps/v1', kind: 'Deployment', ...deployment } as never);
  }
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

function timed(file: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 256 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error !== null) reject(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${stderr.slice(0, 2000)}`));
      else resolve(performance.now() - start);
    });
  });
}

async function benchSize(kube: Kube, n: number): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rs-kube-bench-'));
  try {
    await writeFile(path.join(dir, 'runestone.yaml'), stackYaml(n, `rs-${n}`));
    await writeFile(path.join(dir, 'kubectl.yaml'), kubectlYaml(n, `kc-${n}`));
    const env = kube.env as Record<string, string>;
    const rsCommit = await timed(BIN, ['commit', '--yes'], { cwd: dir, env });
    const rsPreview = await timed(BIN, ['preview'], { cwd: dir, env });
    const kcBin = path.join(kubeBinDir(), 'kubectl');
    const kcApply = await timed(kcBin, ['--kubeconfig', kube.kubeconfig, 'apply', '--server-side', '-f', 'kubectl.yaml'], { cwd: dir, env });
    const kcAgain = await timed(kcBin, ['--kubeconfig', kube.kubeconfig, 'apply', '--server-side', '-f', 'kubectl.yaml'], { cwd: dir, env });
    const kcDiff = await timed(kcBin, ['--kubeconfig', kube.kubeconfig, 'diff', '--server-side', '-f', 'kubectl.yaml'], { cwd: dir, env });
    const row = (what: string, rs: number, kc: number, kcWhat: string): string => `| ${2 * n + 1} | ${what} | ${Math.round(rs).toLocaleString('en-US')} | ${kcWhat} | ${Math.round(kc).toLocaleString('en-US')} | ${(rs / kc).toFixed(2)} |`;
    return [
      row('commit (create)', rsCommit, kcApply, 'apply --server-side (create)'),
      row('preview (no change)', rsPreview, kcDiff, 'diff --server-side (no change)'),
      row('preview (no change)', rsPreview, kcAgain, 'apply --server-side (no change)'),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const kube = await startKube();
try {
  const rows: string[] = [];
  for (const n of sizes.length > 0 ? sizes : [100, 500]) {
    process.stderr.write(`kube ${n}…\n`);
    rows.push(...(await benchSize(kube, n)));
  }
  console.log('\n### Kubernetes: Runestone vs kubectl on the same apiserver (N ConfigMaps + N Deployments + 1 Namespace)\n');
  console.log('| objects | runestone | ms | kubectl | ms | ratio |');
  console.log('|---|---|---:|---|---:|---:|');
  for (const row of rows) console.log(row);
  console.log(`\nNode ${process.version}, ${os.cpus().length} cores; wall time of each CLI process, startup included`);
} finally {
  await kube.stop();
}

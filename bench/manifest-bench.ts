// `manifest reconcile` over N manifests, each in its own directory (N projects, 20 hosts,
// 5 database clusters, two HTTP dependencies each, a GPU every 50th). One size per process.
// Usage: node bench/manifest-bench.ts [manifests] [--json]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildEstate, loadManifests, parseMeshHosts, renderEstateMarkdown, renderEstateText, renderMeshHosts, servicesMap } from '../src/manifest/index.ts';
import { parseArgs, peakRssMb, report, Stopwatch } from './measure.ts';

const HOSTS = 20;
const { size, json } = parseArgs(1_000);
const root = mkdtempSync(path.join(tmpdir(), 'runestone-bench-manifests-'));
try {
  for (let i = 0; i < size; i++) {
    const dir = path.join(root, `repo-${String(i)}`);
    mkdirSync(dir);
    const deps = [i - 1, i - 7].filter((d) => d >= 0).map((d) => `p${String(d)}`);
    writeFileSync(
      path.join(dir, '.infra.yaml'),
      [
        'apiVersion: infra/v1',
        `project: p${String(i)}`,
        'provider: digitalocean',
        `database: { cluster: pg-${String(i % 5)}, name: p${String(i)}, user: p${String(i)}_app }`,
        `service: { host: host-${String(i % HOSTS)}, runtime: node, port: ${String(8000 + i)}, systemd_unit: p${String(i)}.service }`,
        ...(i % 50 === 0 ? ['gpu: { mode: on-demand, droplet: gpu-1 }'] : []),
        `depends_on: [${deps.join(', ')}]`,
        '',
      ].join('\n'),
    );
  }
  const meshFile = path.join(root, 'mesh-hosts.json');
  writeFileSync(meshFile, `${JSON.stringify({ hosts: Object.fromEntries(Array.from({ length: HOSTS }, (_, i) => [`host-${String(i)}`, {}])), services: {} }, null, 2)}\n`);

  const watch = new Stopwatch();
  // Walk the roots, parse each YAML with positions, validate against the manifest schema.
  const loaded = await watch.time('load', () => loadManifests([root], { cwd: root }));
  const mesh = parseMeshHosts('mesh-hosts.json', readFileSync(meshFile, 'utf8'));
  // Every rule, the dependency graph with cycle and dangling checks.
  const estate = await watch.time('estate', () => buildEstate(loaded.manifests, { meshHosts: mesh.hosts }));
  if (estate.findings.length > 0) throw new Error(`Expected no findings, found ${String(estate.findings.length)}: ${estate.findings[0]?.message ?? ''}`);
  // The services map and whether the mesh file changes.
  await watch.time('mesh', () => renderMeshHosts(mesh, servicesMap(estate)));
  await watch.time('render', () => renderEstateText(estate).length + renderEstateMarkdown(estate).length);
  const bin = path.resolve(import.meta.dirname, '../bin/runestone');
  const start = performance.now();
  // The whole CLI in a child process (Node start-up included), as a user runs it in CI.
  const cli = spawnSync(bin, ['manifest', 'reconcile', '--roots', root, '--mesh', meshFile, '--check', '-o', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const cliMs = performance.now() - start;
  if (cli.status !== 4) throw new Error(`Expected exit 4 from --check, got ${String(cli.status)}: ${cli.stderr}`);
  report({ bench: 'manifest', nodes: loaded.manifests.length, stages: watch.stages, totalMs: watch.totalMs, peakRssMb: peakRssMb(), extra: { 'cli reconcile --check ms': cliMs } }, json);
} finally {
  rmSync(root, { recursive: true, force: true });
}

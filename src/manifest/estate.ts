import type { JsonObject } from '../core/json.ts';
import { checkManifests } from './check-rules.ts';
import type { Finding } from './finding.ts';
import type { Manifest } from './parse-manifest.ts';
import { findRule } from './rules.ts';

/** One service placed on a host, as written into the mesh hosts file's services map. */
export interface ServiceEntry {
  readonly project: string;
  readonly environment: string;
  readonly provider: string;
  readonly runtime?: string;
  readonly port?: number;
  readonly systemd_unit?: string;
}

/** One project's logical database on a shared cluster. */
export interface DatabaseEntry {
  readonly project: string;
  readonly environment: string;
  readonly name: string;
  readonly user: string;
}

/** One GPU user. */
export interface GpuEntry {
  readonly project: string;
  readonly environment: string;
  readonly mode: string | undefined;
  readonly droplet: string | undefined;
}

/** The live picture of every manifest: placement, databases, HTTP dependencies, GPUs, findings. */
export interface Estate {
  readonly manifests: number;
  /** Host name to its services, hosts and entries sorted. */
  readonly services: Readonly<Record<string, readonly ServiceEntry[]>>;
  /** Cluster name to its databases. */
  readonly databases: Readonly<Record<string, readonly DatabaseEntry[]>>;
  readonly dependencies: {
    /** Every project, sorted. */
    readonly projects: readonly string[];
    /** `from` consumes `to` over HTTP (deduplicated across environments). */
    readonly edges: readonly { readonly from: string; readonly to: string }[];
    /** Each cycle spelled out, first project repeated at the end. */
    readonly cycles: readonly (readonly string[])[];
    /** Edges whose target has no manifest. */
    readonly dangling: readonly { readonly from: string; readonly to: string }[];
  };
  readonly gpu: readonly GpuEntry[];
  readonly findings: readonly Finding[];
}

/**
 * Builds the estate report from valid manifests: every seed rule plus the reconciler's own
 * checks (dangling dependencies, dependency cycles). Linear in the number of manifests and
 * dependency edges.
 */
export function buildEstate(manifests: readonly Manifest[], options: { readonly meshHosts?: readonly string[] } = {}): Estate {
  const sorted = [...manifests].sort((a, b) => a.project.localeCompare(b.project) || a.environment.localeCompare(b.environment));
  const services: Record<string, ServiceEntry[]> = {};
  const databases: Record<string, DatabaseEntry[]> = {};
  const gpu: GpuEntry[] = [];
  for (const m of sorted) {
    const host = m.service?.host;
    if (m.service !== undefined && host !== undefined) {
      const { runtime, port, systemd_unit: unit } = m.service;
      (services[host] ??= []).push({
        project: m.project,
        environment: m.environment,
        provider: m.provider,
        ...(runtime === undefined ? {} : { runtime }),
        ...(port === undefined ? {} : { port }),
        ...(unit === undefined ? {} : { systemd_unit: unit }),
      });
    }
    if (m.database !== undefined) (databases[m.database.cluster] ??= []).push({ project: m.project, environment: m.environment, name: m.database.name, user: m.database.user });
    if (m.gpu !== undefined) gpu.push({ project: m.project, environment: m.environment, mode: m.gpu.mode, droplet: m.gpu.droplet });
  }
  const projects = [...new Set(sorted.map((m) => m.project))];
  const known = new Set(projects);
  const edgeKeys = new Set<string>();
  const edges: { from: string; to: string }[] = [];
  const dangling: { from: string; to: string }[] = [];
  const findings: Finding[] = checkManifests(manifests, options);
  for (const m of sorted) {
    m.dependsOn.forEach((to, i) => {
      if (!known.has(to)) {
        dangling.push({ from: m.project, to });
        const rule = findRule('dangling_dependency');
        findings.push({
          rule: 'dangling_dependency',
          level: rule.level,
          code: 'RS_MANIFEST_E0001',
          message: `Project "${m.project}" depends on "${to}", which has no manifest`,
          location: m.at.child('depends_on').child(i).location(),
          hint: 'Add the roots that hold its .infra.yaml, or fix the name',
        });
        return;
      }
      const key = `${m.project}\u0000${to}`;
      if (!edgeKeys.has(key)) {
        edgeKeys.add(key);
        edges.push({ from: m.project, to });
      }
    });
  }
  edges.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const cycles = findCycles(projects, edges);
  for (const cycle of cycles) {
    const first = sorted.find((m) => m.project === cycle[0]);
    const at = first?.dependsOn.indexOf(cycle[1] ?? '') ?? -1;
    findings.push({
      rule: 'dependency_cycle',
      level: findRule('dependency_cycle').level,
      code: 'RS_MANIFEST_W0001',
      message: `HTTP dependencies form a cycle: ${cycle.join(' -> ')}`,
      ...(first === undefined ? {} : { location: (at === -1 ? first.at.child('depends_on') : first.at.child('depends_on').child(at)).location() }),
      hint: 'Break the cycle: one of these projects must not need the other to start',
    });
  }
  return { manifests: manifests.length, services, databases, dependencies: { projects, edges, cycles, dangling }, gpu, findings };
}

/** The mesh hosts file's `services` map for an estate. */
export function servicesMap(estate: Estate): JsonObject {
  const out: Record<string, JsonObject[]> = {};
  for (const host of Object.keys(estate.services).sort()) out[host] = (estate.services[host] ?? []).map((entry) => ({ ...entry }));
  return out;
}

// Tarjan's strongly connected components; each component with a cycle is spelled as one
// closed walk starting at its smallest project name.
function findCycles(projects: readonly string[], edges: readonly { readonly from: string; readonly to: string }[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  // Iterative so a long chain of 10k projects cannot overflow the call stack.
  for (const root of projects) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; i: number };
      const targets = next.get(frame.node) ?? [];
      if (frame.i < targets.length) {
        const to = targets[frame.i++] as string;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(to) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const isCycle = component.length > 1 || (next.get(frame.node) ?? []).includes(frame.node);
        if (isCycle) components.push(component);
      }
    }
  }
  return components.map((component) => spellCycle(component, next)).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

// A closed walk through a strongly connected component, by breadth-first search from its
// smallest member back to itself (shortest such cycle).
function spellCycle(component: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0] as string;
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const to of next.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

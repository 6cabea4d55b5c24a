import type { ChangeSet } from '../engine/changes.ts';
import type { NodeResult } from '../engine/events.ts';
import type { EdgeReason, Plan } from '../plan/ir.ts';
import { API_VERSION } from './json-document.ts';

/** A node as the graph renderers see it. */
export interface GraphNode {
  readonly id: string;
  readonly kind: string;
  /** The id without its `kind.` prefix: `motd`, `logs[0]`, `site["eu"]`. */
  readonly label: string;
  /** The module instance it belongs to, e.g. `module:vpc.core-network`. */
  readonly module?: string;
}

/** `node` depends on `dependsOn`; `reason` is known when the graph comes from a plan. */
export interface GraphEdge {
  readonly node: string;
  readonly dependsOn: string;
  readonly reason?: EdgeReason;
}

/** A dependency graph, independent of where it came from (plan or change set). */
export interface DependencyGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** A per-node status marker: `[+] [~] [-] [±] [!] [✓] [✗]`. */
export type GraphMarker = 'create' | 'update' | 'delete' | 'replace' | 'drift' | 'done' | 'failed';

/** The text of each marker. */
export const GRAPH_MARKERS: Readonly<Record<GraphMarker, string>> = {
  create: '[+]',
  update: '[~]',
  delete: '[-]',
  replace: '[±]',
  drift: '[!]',
  done: '[✓]',
  failed: '[✗]',
};

/** Formats `runestone graph --format` accepts. */
export type GraphFormat = 'text' | 'mermaid' | 'dot' | 'json';

/** The `runestone graph --format json` document. */
export interface GraphDocument {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'Graph';
  readonly nodes: readonly (GraphNode & { readonly layer: number })[];
  readonly edges: readonly GraphEdge[];
}

// Module members are drawn under their instance header, so the label drops that prefix.
function labelOf(id: string, kind: string): string {
  const local = id.slice(id.lastIndexOf('/') + 1);
  return local.startsWith(`${kind}.`) ? local.slice(kind.length + 1) : local;
}

/** Builds the graph of a plan: every node and every edge with its reason. */
export function graphFromPlan(plan: Pick<Plan, 'nodes'>): DependencyGraph {
  const nodes = plan.nodes.map((node) => ({ id: node.id, kind: node.kind, label: labelOf(node.id, node.kind), ...(node.module === undefined ? {} : { module: node.module }) }));
  const seen = new Set<string>();
  const edges: GraphEdge[] = [];
  for (const node of plan.nodes) {
    for (const edge of node.edges) {
      const key = `${node.id}\u0000${edge.to}\u0000${edge.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ node: node.id, dependsOn: edge.to, reason: edge.reason });
    }
  }
  return { nodes, edges };
}

/** Builds the graph of a change set; with `changedOnly`, no-op nodes (and their edges) are left out. */
export function graphFromChangeSet(changeSet: ChangeSet, options: { readonly changedOnly?: boolean } = {}): DependencyGraph {
  const kept = changeSet.changes.filter((node) => options.changedOnly !== true || node.change.kind !== 'no-op' || node.drift.length > 0);
  const ids = new Set<string>(kept.map((node) => node.nodeId));
  return {
    nodes: kept.map((node) => ({ id: node.nodeId, kind: node.kind, label: labelOf(node.nodeId, node.kind), ...(node.module === undefined ? {} : { module: node.module }) })),
    edges: kept.flatMap((node) => node.dependsOn.filter((dep) => ids.has(dep)).map((dep) => ({ node: node.nodeId, dependsOn: dep }))),
  };
}

/** Markers from a preview: the change kind, or `[!]` for drift on a node with nothing to do. */
export function markersFromChangeSet(changeSet: ChangeSet): Map<string, GraphMarker> {
  const markers = new Map<string, GraphMarker>();
  for (const node of changeSet.changes) {
    const kind = node.change.kind;
    if (kind !== 'no-op') markers.set(node.nodeId, kind);
    else if (node.drift.length > 0) markers.set(node.nodeId, 'drift');
  }
  return markers;
}

/** Markers from results: `[✓]` done, `[✗]` failed (skipped nodes keep their planned marker). */
export function markersFromResults(results: Iterable<NodeResult>, planned: ReadonlyMap<string, GraphMarker> = new Map()): Map<string, GraphMarker> {
  const markers = new Map(planned);
  for (const result of results) {
    if (result.status === 'done' && result.action !== 'no-op') markers.set(result.nodeId, 'done');
    else if (result.status === 'failed') markers.set(result.nodeId, 'failed');
  }
  return markers;
}

/**
 * Splits a graph into dependency layers (Kahn levels): layer 0 has no dependencies, and each
 * node sits one layer below its deepest dependency. Within a layer, nodes of one module stay
 * together and nodes sit near their dependencies. Edges to unknown nodes are ignored; nodes
 * on a cycle (which the planner rejects earlier) land in one last layer rather than vanish.
 */
export function layerGraph(graph: DependencyGraph): GraphNode[][] {
  const deps = dependencyMap(graph);
  const dependents = new Map<string, string[]>();
  const pending = new Map<string, number>();
  for (const node of graph.nodes) pending.set(node.id, deps.get(node.id)?.size ?? 0);
  for (const [id, set] of deps) for (const dep of set) appendTo(dependents, dep, id);

  const level = new Map<string, number>();
  let frontier = graph.nodes.filter((node) => pending.get(node.id) === 0).map((node) => node.id);
  for (const id of frontier) level.set(id, 0);
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const child of dependents.get(id) ?? []) {
        level.set(child, Math.max(level.get(child) ?? 0, (level.get(id) ?? 0) + 1));
        const left = (pending.get(child) ?? 0) - 1;
        pending.set(child, left);
        if (left === 0) next.push(child);
      }
    }
    frontier = next;
  }
  // A loop, not Math.max(...values): spreading tens of thousands of arguments can overflow the stack.
  let depth = -1;
  for (const at of level.values()) depth = Math.max(depth, at);
  const layers: GraphNode[][] = Array.from({ length: depth + 1 }, () => []);
  const cyclic: GraphNode[] = [];
  for (const node of graph.nodes) {
    const at = level.get(node.id);
    if (at === undefined || (pending.get(node.id) ?? 0) > 0) cyclic.push(node);
    else layers[at]?.push(node);
  }
  if (cyclic.length > 0) layers.push(cyclic);
  return orderLayers(layers, deps);
}

function orderLayers(layers: GraphNode[][], deps: ReadonlyMap<string, ReadonlySet<string>>): GraphNode[][] {
  const position = new Map<string, number>();
  return layers.map((layer) => {
    // Barycentre of the dependencies' positions keeps children under their parents.
    const bary = new Map<string, number>();
    for (const node of layer) {
      const at = [...(deps.get(node.id) ?? [])].map((dep) => position.get(dep)).filter((p): p is number => p !== undefined);
      bary.set(node.id, at.length === 0 ? Number.POSITIVE_INFINITY : at.reduce((a, b) => a + b, 0) / at.length);
    }
    const byBary = (a: GraphNode, b: GraphNode): number => compare(bary.get(a.id) ?? 0, bary.get(b.id) ?? 0) || compareText(a.id, b.id);
    const groups = new Map<string, GraphNode[]>();
    for (const node of [...layer].sort(byBary)) {
      const key = node.module ?? `\u0000${node.id}`;
      appendTo(groups, key, node);
    }
    // Groups keep the order of their first (best-placed) member, so a module stays together.
    const ordered = [...groups.values()].flat();
    ordered.forEach((node, index) => position.set(node.id, index));
    return ordered;
  });
}

// Appends in place: copying the list per item (`[...list, item]`) is quadratic in its length.
function appendTo<K, V>(map: Map<K, V[]>, key: K, item: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

function compare(a: number, b: number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const NATURAL = new Intl.Collator('en', { numeric: true });

/** Orders ids so `f2` comes before `f10`. */
function compareText(a: string, b: string): number {
  return NATURAL.compare(a, b);
}

/** For each node, the set of its dependencies that are nodes of the graph. */
export function dependencyMap(graph: DependencyGraph): Map<string, Set<string>> {
  const ids = new Set(graph.nodes.map((node) => node.id));
  const deps = new Map<string, Set<string>>();
  for (const edge of graph.edges) {
    if (!ids.has(edge.node) || !ids.has(edge.dependsOn) || edge.node === edge.dependsOn) continue;
    const set = deps.get(edge.node) ?? new Set<string>();
    set.add(edge.dependsOn);
    deps.set(edge.node, set);
  }
  return deps;
}

const FILL: Readonly<Record<GraphMarker, readonly [fill: string, stroke: string]>> = {
  create: ['#dafbe1', '#1a7f37'],
  update: ['#fff8c5', '#9a6700'],
  delete: ['#ffebe9', '#cf222e'],
  replace: ['#fbefff', '#8250df'],
  drift: ['#ddf4ff', '#0969da'],
  done: ['#dafbe1', '#1a7f37'],
  failed: ['#ffebe9', '#cf222e'],
};

/**
 * Renders a graph as a Mermaid flowchart: arrows run from a dependency to its dependents,
 * modules become subgraphs, and marked nodes get a class coloured by marker.
 */
export function renderGraphMermaid(graph: DependencyGraph, options: { readonly markers?: ReadonlyMap<string, GraphMarker> } = {}): string {
  const ids = new Map(graph.nodes.map((node, index) => [node.id, `n${index}`]));
  const quote = (text: string): string => `"${text.replaceAll('"', '#quot;')}"`;
  const lines = ['graph TD'];
  const modules = new Map<string, GraphNode[]>();
  const declare = (node: GraphNode, indent: string): void => {
    const marker = options.markers?.get(node.id);
    const prefix = marker === undefined ? '' : `${GRAPH_MARKERS[marker]} `;
    lines.push(`${indent}${ids.get(node.id) ?? ''}[${quote(`${prefix}${node.label}<br/>${node.kind}`)}]`);
  };
  for (const node of graph.nodes) {
    if (node.module === undefined) declare(node, '  ');
    else appendTo(modules, node.module, node);
  }
  [...modules].forEach(([module, members], index) => {
    lines.push(`  subgraph m${index}[${quote(module)}]`);
    for (const node of members) declare(node, '    ');
    lines.push('  end');
  });
  for (const [id, set] of dependencyMap(graph)) {
    for (const dep of set) lines.push(`  ${ids.get(dep) ?? ''} --> ${ids.get(id) ?? ''}`);
  }
  const used = new Set(options.markers?.values() ?? []);
  for (const marker of Object.keys(FILL) as GraphMarker[]) {
    if (!used.has(marker)) continue;
    const [fill, stroke] = FILL[marker];
    lines.push(`  classDef ${marker} fill:${fill},stroke:${stroke},color:#1f2328`);
    const members = graph.nodes.filter((node) => options.markers?.get(node.id) === marker).map((node) => ids.get(node.id) ?? '');
    lines.push(`  class ${members.join(',')} ${marker}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Renders a graph in Graphviz DOT: modules as clusters, edges labelled with their reason. */
export function renderGraphDot(graph: DependencyGraph, options: { readonly markers?: ReadonlyMap<string, GraphMarker> } = {}): string {
  const quote = (text: string): string => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  const lines = ['digraph runestone {', '  rankdir=TB;', '  node [shape=box, fontname="Helvetica"];'];
  const declare = (node: GraphNode, indent: string): string => {
    const marker = options.markers?.get(node.id);
    const label = `${marker === undefined ? '' : `${GRAPH_MARKERS[marker]} `}${node.label}\\n${node.kind}`;
    const fill = marker === undefined ? '' : `, style=filled, fillcolor=${quote(FILL[marker][0])}, color=${quote(FILL[marker][1])}`;
    return `${indent}${quote(node.id)} [label="${label.replaceAll('"', '\\"')}"${fill}];`;
  };
  const modules = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    if (node.module === undefined) lines.push(declare(node, '  '));
    else appendTo(modules, node.module, node);
  }
  [...modules].forEach(([module, members], index) => {
    lines.push(`  subgraph cluster_${index} {`, `    label=${quote(module)};`, ...members.map((node) => declare(node, '    ')), '  }');
  });
  const drawn = new Set<string>();
  const deps = dependencyMap(graph);
  // Every reason of each (dependency, node) pair, gathered in one pass: filtering all edges per
  // edge is quadratic in the number of edges.
  const reasonsOf = new Map<string, EdgeReason[]>();
  for (const edge of graph.edges) {
    if (edge.reason !== undefined) appendTo(reasonsOf, `${edge.dependsOn}\u0000${edge.node}`, edge.reason);
  }
  for (const edge of graph.edges) {
    if (deps.get(edge.node)?.has(edge.dependsOn) !== true) continue;
    const key = `${edge.dependsOn}\u0000${edge.node}`;
    if (drawn.has(key)) continue;
    drawn.add(key);
    const reasons = reasonsOf.get(key) ?? [];
    const label = reasons.length === 0 ? '' : ` [label=${quote(reasons.join(', '))}]`;
    lines.push(`  ${quote(edge.dependsOn)} -> ${quote(edge.node)}${label};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Builds the `--format json` document: nodes with their layer, edges with their reason. */
export function buildGraphDocument(graph: DependencyGraph): GraphDocument {
  const layerOf = new Map<string, number>();
  layerGraph(graph).forEach((layer, index) => {
    for (const node of layer) layerOf.set(node.id, index);
  });
  return {
    apiVersion: API_VERSION,
    kind: 'Graph',
    nodes: graph.nodes.map((node) => ({ ...node, layer: layerOf.get(node.id) ?? 0 })),
    edges: graph.edges.map((edge) => ({ ...edge })),
  };
}

const GRAPH_FORMATS: ReadonlySet<string> = new Set<GraphFormat>(['text', 'mermaid', 'dot', 'json']);

/** Checks a `--format` value from the command line. */
export function isGraphFormat(value: string): value is GraphFormat {
  return GRAPH_FORMATS.has(value);
}

import { dependencyMap, GRAPH_MARKERS, layerGraph } from './graph.ts';
import type { DependencyGraph, GraphMarker, GraphNode } from './graph.ts';
import { PLAIN_STYLE } from './style.ts';
import type { Style, StyleRole } from './style.ts';

/** Options for {@link renderGraphText}. */
export interface GraphTextOptions {
  /** Terminal width; layers wider than this wrap into several rows (default 100). */
  readonly width?: number;
  /** Per-node status markers, e.g. for `commit --graph`. */
  readonly markers?: ReadonlyMap<string, GraphMarker>;
  readonly style?: Style;
}

const GAP = 3;
const MAX_LABEL = 32;

interface Box {
  readonly node: GraphNode;
  readonly x: number;
  readonly width: number;
  readonly center: number;
}

interface Row {
  readonly layer: number;
  readonly boxes: readonly Box[];
  readonly headers: readonly { readonly x: number; readonly width: number; readonly module: string }[];
  readonly width: number;
}

const MARKER_ROLE: Readonly<Record<GraphMarker, StyleRole>> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
  replace: 'replace',
  drift: 'drift',
  done: 'success',
  failed: 'failed',
};

/**
 * Renders the DAG in the seed's boxes-and-arrows style, one dependency layer under the other.
 * Each box shows the node's name (with its status marker, if any) and kind; nodes of a module
 * sit together under a `┌ module:… ┐` header. Arrows join a layer to the next; a dependency the
 * arrows cannot show exactly (it skips layers, or shares a junction with unrelated nodes, or
 * a layer wrapped) is spelled out under the node as `↳ id needs a, b`.
 *
 * @example
 * writer.write(renderGraphText(graphFromPlan(plan), { width: writer.columns ?? 100 }));
 */
export function renderGraphText(graph: DependencyGraph, options: GraphTextOptions = {}): string {
  const style = options.style ?? PLAIN_STYLE;
  const width = Math.max(20, options.width ?? 100);
  const layers = layerGraph(graph);
  if (layers.length === 0) return '(no resources)\n';
  const deps = dependencyMap(graph);
  const rows = layers.flatMap((layer, index) => layoutLayer(layer, index, width, options.markers));
  // Centre every row on the widest one, as the seed draws a parent above its children.
  const total = Math.max(...rows.map((row) => row.width));
  const placed = rows.map((row) => shift(row, Math.floor((total - row.width) / 2)));
  const rowsOfLayer = (layer: number): Row[] => placed.filter((row) => row.layer === layer);

  // Children whose dependencies the connector above them shows exactly need no note.
  const exact = new Set<string>();
  const out: string[] = [];
  placed.forEach((row, index) => {
    out.push(...drawRow(row, style, options.markers));
    out.push(...notesFor(row, deps, exact));
    const next = placed[index + 1];
    if (next === undefined) return;
    const single = rowsOfLayer(row.layer).length === 1 && rowsOfLayer(next.layer).length === 1;
    out.push(...(next.layer === row.layer + 1 && single ? drawConnectors(row, next, deps, exact) : ['']));
  });
  return `${out.join('\n')}\n`;
}

/** `↳ a, b need x, y` for the row's nodes whose dependencies the arrows do not show exactly. */
function notesFor(row: Row, deps: ReadonlyMap<string, ReadonlySet<string>>, exact: ReadonlySet<string>): string[] {
  const indent = ' '.repeat(row.boxes[0]?.x ?? 0);
  const bySet = new Map<string, string[]>();
  for (const box of row.boxes) {
    const set = deps.get(box.node.id);
    if (exact.has(box.node.id) || set === undefined || set.size === 0) continue;
    const key = [...set].sort(NATURAL.compare).join(', ');
    bySet.set(key, [...(bySet.get(key) ?? []), box.node.label]);
  }
  return [...bySet].map(([needs, labels]) => `${indent}↳ ${labels.join(', ')} ${labels.length === 1 ? 'needs' : 'need'} ${needs}`);
}

const NATURAL = new Intl.Collator('en', { numeric: true });

function layoutLayer(layer: readonly GraphNode[], index: number, width: number, markers: ReadonlyMap<string, GraphMarker> | undefined): Row[] {
  const rows: Row[] = [];
  let current: GraphNode[] = [];
  for (const node of layer) {
    const attempt = layoutRow([...current, node], index, markers);
    if (current.length > 0 && attempt.width > width) {
      rows.push(layoutRow(current, index, markers));
      current = [node];
    } else {
      current.push(node);
    }
  }
  if (current.length > 0) rows.push(layoutRow(current, index, markers));
  return rows;
}

function layoutRow(nodes: readonly GraphNode[], layer: number, markers: ReadonlyMap<string, GraphMarker> | undefined): Row {
  const boxes: Box[] = [];
  const headers: { x: number; width: number; module: string }[] = [];
  let x = 0;
  let i = 0;
  while (i < nodes.length) {
    const module = nodes[i]?.module;
    const start = x;
    let j = i;
    while (j < nodes.length && nodes[j]?.module === module) {
      const node = nodes[j] as GraphNode;
      const boxWidth = boxWidthOf(node, markers?.get(node.id));
      boxes.push({ node, x, width: boxWidth, center: x + Math.floor(boxWidth / 2) });
      x += boxWidth + GAP;
      j += 1;
    }
    let end = x - GAP;
    if (module !== undefined) {
      end = Math.max(end, start + module.length + 4);
      headers.push({ x: start, width: end - start, module });
    }
    x = end + GAP;
    i = j;
  }
  return { layer, boxes, headers, width: Math.max(0, x - GAP) };
}

function boxWidthOf(node: GraphNode, marker: GraphMarker | undefined): number {
  const name = clip(node.label).length + (marker === undefined ? 0 : GRAPH_MARKERS[marker].length + 1);
  return Math.max(name, node.kind.length) + 4;
}

function clip(text: string): string {
  return text.length <= MAX_LABEL ? text : `${text.slice(0, MAX_LABEL - 1)}…`;
}

function shift(row: Row, by: number): Row {
  return {
    ...row,
    boxes: row.boxes.map((box) => ({ ...box, x: box.x + by, center: box.center + by })),
    headers: row.headers.map((header) => ({ ...header, x: header.x + by })),
  };
}

function drawRow(row: Row, style: Style, markers: ReadonlyMap<string, GraphMarker> | undefined): string[] {
  const lines: string[] = [];
  if (row.headers.length > 0) {
    const header = new Canvas();
    for (const { x, width, module } of row.headers) header.put(x, `┌ ${module} ${'─'.repeat(Math.max(0, width - module.length - 4))}┐`);
    lines.push(header.toString());
  }
  const top = new Canvas();
  const name = new Canvas();
  const kind = new Canvas();
  for (const box of row.boxes) {
    const border = `+${'-'.repeat(box.width - 2)}+`;
    top.put(box.x, border);
    const marker = markers?.get(box.node.id);
    const label = clip(box.node.label);
    const plainName = marker === undefined ? label : `${GRAPH_MARKERS[marker]} ${label}`;
    const painted = marker === undefined ? label : `${style.paint(MARKER_ROLE[marker], GRAPH_MARKERS[marker])} ${label}`;
    name.put(box.x, `| ${painted}${' '.repeat(box.width - 4 - plainName.length)} |`, box.width);
    kind.put(box.x, `| ${box.node.kind.padEnd(box.width - 4)} |`);
  }
  lines.push(top.toString(), name.toString(), kind.toString(), top.toString());
  return lines;
}

/** Draws `│`, a junction bus and `▼` between two single-row layers; records exactly drawn children. */
function drawConnectors(upper: Row, lower: Row, deps: ReadonlyMap<string, ReadonlySet<string>>, exact: Set<string>): string[] {
  const parentIds = new Map(upper.boxes.map((box) => [box.node.id, box]));
  const components = busComponents(upper, lower, deps);
  if (components.length === 0) return [''];
  const drops = new Canvas();
  const bus = new Canvas();
  const arrows = new Canvas();
  for (const component of components) {
    const parentX = new Set(component.parents.map((id) => parentIds.get(id)?.center ?? 0));
    const childX = new Set(component.children.map((box) => box.center));
    for (const x of parentX) drops.put(x, '│');
    for (const x of childX) arrows.put(x, '▼');
    const all = [...parentX, ...childX];
    const min = Math.min(...all);
    const max = Math.max(...all);
    for (let x = min; x <= max; x += 1) bus.put(x, junction(x, min, max, parentX.has(x), childX.has(x)));
    for (const child of component.children) {
      const within = [...(deps.get(child.node.id) ?? [])];
      if (within.length === component.parents.length && within.every((id) => component.parents.includes(id))) exact.add(child.node.id);
    }
  }
  return [drops.toString(), bus.toString(), arrows.toString()];
}

function junction(x: number, min: number, max: number, isParent: boolean, isChild: boolean): string {
  if (min === max) return '│';
  if (x === min) return isParent && isChild ? '├' : isChild ? '┌' : '└';
  if (x === max) return isParent && isChild ? '┤' : isChild ? '┐' : '┘';
  if (isParent && isChild) return '┼';
  if (isParent) return '┴';
  return isChild ? '┬' : '─';
}

interface Component {
  readonly parents: string[];
  readonly children: Box[];
  min: number;
  max: number;
}

/** Groups the edges between two rows into buses; buses whose spans overlap are merged. */
function busComponents(upper: Row, lower: Row, deps: ReadonlyMap<string, ReadonlySet<string>>): Component[] {
  const centerOf = new Map(upper.boxes.map((box) => [box.node.id, box.center]));
  const components: Component[] = [];
  for (const child of lower.boxes) {
    const parents = [...(deps.get(child.node.id) ?? [])].filter((id) => centerOf.has(id));
    if (parents.length === 0) continue;
    const xs = [child.center, ...parents.map((id) => centerOf.get(id) ?? 0)];
    components.push({ parents, children: [child], min: Math.min(...xs), max: Math.max(...xs) });
  }
  // Merge until no two spans overlap, so buses never cross one another on the line.
  let merged = true;
  while (merged) {
    merged = false;
    outer: for (let i = 0; i < components.length; i += 1) {
      for (let j = i + 1; j < components.length; j += 1) {
        const a = components[i] as Component;
        const b = components[j] as Component;
        if (a.max < b.min || b.max < a.min) continue;
        a.parents.push(...b.parents.filter((id) => !a.parents.includes(id)));
        a.children.push(...b.children);
        a.min = Math.min(a.min, b.min);
        a.max = Math.max(a.max, b.max);
        components.splice(j, 1);
        merged = true;
        break outer;
      }
    }
  }
  return components;
}

/** A line of fixed-width cells; painted text occupies one cell plus blanks for its width. */
class Canvas {
  readonly #cells: (string | undefined)[] = [];

  put(x: number, text: string, displayWidth?: number): void {
    if (displayWidth !== undefined) {
      this.#cells[x] = text;
      for (let i = 1; i < displayWidth; i += 1) this.#cells[x + i] = '';
      return;
    }
    Array.from(text).forEach((char, i) => {
      this.#cells[x + i] = char;
    });
  }

  toString(): string {
    return Array.from(this.#cells, (cell) => cell ?? ' ')
      .join('')
      .trimEnd();
  }
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asNodeId } from '../core/index.ts';
import type { PlanNode } from '../plan/ir.ts';
import { renderGraphText } from './graph-text.ts';
import { buildGraphDocument, graphFromChangeSet, graphFromPlan, layerGraph, markersFromChangeSet, markersFromResults, renderGraphDot, renderGraphMermaid } from './graph.ts';
import type { DependencyGraph, GraphNode } from './graph.ts';
import { sampleChangeSet } from './internal/fixtures.ts';
import { createStyle } from './style.ts';

const node = (id: string, module?: string): GraphNode => {
  const dot = id.indexOf('.');
  return { id, kind: id.slice(0, dot), label: id.slice(dot + 1), ...(module === undefined ? {} : { module }) };
};

const DIAMOND: DependencyGraph = {
  nodes: [node('host:directory.root'), node('host:file.left'), node('host:file.right'), node('host:command.join')],
  edges: [
    { node: 'host:file.left', dependsOn: 'host:directory.root', reason: 'reference' },
    { node: 'host:file.right', dependsOn: 'host:directory.root', reason: 'explicit' },
    { node: 'host:command.join', dependsOn: 'host:file.left', reason: 'explicit' },
    { node: 'host:command.join', dependsOn: 'host:file.right', reason: 'explicit' },
  ],
};

const MODULES: DependencyGraph = {
  nodes: [node('host:directory.base'), node('host:file.a', 'module:web.site'), node('host:file.b', 'module:web.site'), node('host:file.c'), node('host:link.d', 'module:web.site')],
  edges: [
    { node: 'host:file.a', dependsOn: 'host:directory.base', reason: 'module' },
    { node: 'host:file.b', dependsOn: 'host:directory.base', reason: 'module' },
    { node: 'host:link.d', dependsOn: 'host:file.a', reason: 'reference' },
    { node: 'host:link.d', dependsOn: 'host:file.c', reason: 'explicit' },
  ],
};

describe('layerGraph()', () => {
  it('puts each node one layer below its deepest dependency', () => {
    assert.deepEqual(
      layerGraph(DIAMOND).map((layer) => layer.map((n) => n.label)),
      [['root'], ['left', 'right'], ['join']],
    );
  });

  it('keeps a module together and puts cyclic nodes last instead of dropping them', () => {
    assert.deepEqual(
      layerGraph(MODULES).map((layer) => layer.map((n) => n.label)),
      [['base', 'c'], ['a', 'b'], ['d']],
    );
    const cyclic: DependencyGraph = { nodes: [node('a:x.1'), node('a:x.2'), node('a:x.3')], edges: [{ node: 'a:x.1', dependsOn: 'a:x.2' }, { node: 'a:x.2', dependsOn: 'a:x.1' }] };
    assert.deepEqual(layerGraph(cyclic).map((layer) => layer.map((n) => n.label)), [['3'], ['1', '2']]);
  });
});

describe('renderGraphText()', () => {
  it('draws a diamond with junctions and status markers', () => {
    const markers = new Map([['host:file.left', 'create' as const], ['host:command.join', 'failed' as const]]);
    assert.equal(
      renderGraphText(DIAMOND, { markers }),
      [
        '     +----------------+',
        '     | root           |',
        '     | host:directory |',
        '     +----------------+',
        '              │',
        '      ┌───────┴───────┐',
        '      ▼               ▼',
        '+-----------+   +-----------+',
        '| [+] left  |   | right     |',
        '| host:file |   | host:file |',
        '+-----------+   +-----------+',
        '      │               │',
        '      └───────┬───────┘',
        '              ▼',
        '      +--------------+',
        '      | [✗] join     |',
        '      | host:command |',
        '      +--------------+',
        '',
      ].join('\n'),
    );
  });

  it('groups module nodes under the module header and notes edges the arrows cannot show', () => {
    assert.equal(
      renderGraphText(MODULES),
      [
        '+----------------+   +-----------+',
        '| base           |   | c         |',
        '| host:directory |   | host:file |',
        '+----------------+   +-----------+',
        '         │',
        '        ┌┴──────────────┐',
        '        ▼               ▼',
        '  ┌ module:web.site ──────────┐',
        '  +-----------+   +-----------+',
        '  | a         |   | b         |',
        '  | host:file |   | host:file |',
        '  +-----------+   +-----------+',
        '        │',
        '        └────┐',
        '             ▼',
        '       ┌ module:web.site ┐',
        '       +-----------+',
        '       | d         |',
        '       | host:link |',
        '       +-----------+',
        '       ↳ d needs host:file.a, host:file.c',
        '',
      ].join('\n'),
    );
  });

  it('wraps a layer wider than the terminal into several rows', () => {
    const many: DependencyGraph = {
      nodes: [node('host:directory.root'), ...Array.from({ length: 32 }, (_, i) => node(`host:file.f${i}`))],
      edges: Array.from({ length: 32 }, (_, i) => ({ node: `host:file.f${i}`, dependsOn: 'host:directory.root' })),
    };
    const lines = renderGraphText(many, { width: 80 }).split('\n');
    assert.ok(lines.every((line) => Array.from(line).length <= 80), 'every line fits in 80 columns');
    assert.equal(lines.filter((line) => line.includes('host:file |')).length, 7);
    assert.ok(lines.includes('↳ f0, f1, f2, f3, f4 need host:directory.root'));
  });

  it('colours markers only with colour on', () => {
    const markers = new Map([['host:file.left', 'create' as const]]);
    const coloured = renderGraphText(DIAMOND, { markers, style: createStyle({ color: true }) });
    assert.ok(coloured.includes('| \u001b[32m[+]\u001b[39m left  |'));
    assert.ok(!renderGraphText(DIAMOND, { markers }).includes('\u001b'));
  });
});

describe('renderGraphMermaid() and renderGraphDot()', () => {
  it('declares every node before use and draws edges from dependency to dependent', () => {
    const text = renderGraphMermaid(MODULES, { markers: new Map([['host:file.a', 'create' as const]]) });
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'graph TD');
    const declared = new Set(lines.map((line) => /^\s+(n\d+)\[/.exec(line)?.[1]).filter((id) => id !== undefined));
    const edges = lines.map((line) => /^\s+(n\d+) --> (n\d+)$/.exec(line)).filter((match) => match !== null);
    assert.equal(declared.size, 5);
    assert.equal(edges.length, 4);
    for (const [, from, to] of edges) assert.ok(declared.has(from!) && declared.has(to!));
    assert.ok(lines.includes('  subgraph m0["module:web.site"]'));
    assert.ok(lines.includes('  class n1 create'));
    assert.equal(lines.filter((line) => line.trim() === 'end').length, 1);
  });

  it('escapes quotes in labels', () => {
    const text = renderGraphMermaid({ nodes: [node('k:t.say "hi"')], edges: [] });
    assert.ok(text.includes('n0["say #quot;hi#quot;<br/>k:t"]'));
    const dot = renderGraphDot({ nodes: [node('k:t.say "hi"')], edges: [] });
    assert.ok(dot.includes('"k:t.say \\"hi\\"" [label="say \\"hi\\"\\nk:t"];'));
  });

  it('writes DOT with clusters for modules and reasons on edges', () => {
    const text = renderGraphDot(MODULES);
    assert.ok(text.startsWith('digraph runestone {\n'));
    assert.ok(text.endsWith('}\n'));
    assert.ok(text.includes('  subgraph cluster_0 {\n    label="module:web.site";'));
    assert.ok(text.includes('  "host:file.a" -> "host:link.d" [label="reference"];'));
    assert.equal((text.match(/->/g) ?? []).length, 4);
    assert.equal((text.match(/\{/g) ?? []).length, (text.match(/\}/g) ?? []).length);
  });
});

describe('graph sources', () => {
  it('graphFromPlan() keeps edge reasons and buildGraphDocument() adds layers', () => {
    const planNode = (id: string, edges: PlanNode['edges'], module?: string): PlanNode => ({
      id: asNodeId(id),
      kind: id.slice(0, id.indexOf('.')),
      name: id.slice(id.indexOf('.') + 1),
      provider: 'host',
      origin: { file: 'r.yaml', line: 1, column: 1 },
      properties: {},
      edges,
      driftPolicy: { autoHeal: true, notifyOnly: false },
      adopt: false,
      ...(module === undefined ? {} : { module }),
    });
    const origin = { file: 'r.yaml', line: 2, column: 3 };
    const graph = graphFromPlan({
      nodes: [planNode('host:directory.d', []), planNode('host:file.f', [{ to: asNodeId('host:directory.d'), reason: 'reference', origin }, { to: asNodeId('host:directory.d'), reason: 'reference', origin }], 'module:m.x')],
    });
    assert.deepEqual(graph.edges, [{ node: 'host:file.f', dependsOn: 'host:directory.d', reason: 'reference' }]);
    const document = buildGraphDocument(graph);
    assert.equal(document.kind, 'Graph');
    assert.deepEqual(document.nodes.map((n) => [n.id, n.layer, n.module]), [['host:directory.d', 0, undefined], ['host:file.f', 1, 'module:m.x']]);
  });

  it('graphFromChangeSet() can keep only changed nodes, and markers follow changes then results', () => {
    const set = sampleChangeSet();
    const graph = graphFromChangeSet(set, { changedOnly: true });
    assert.deepEqual(graph.nodes.map((n) => n.label), ['motd', 'conf', 'site', 'old']);
    assert.deepEqual(graph.edges, [{ node: 'host:file.site', dependsOn: 'host:file.conf' }]);
    const planned = markersFromChangeSet(set);
    assert.equal(planned.get('host:file.site'), 'create');
    assert.equal(planned.has('host:directory.etc'), false);
    const after = markersFromResults([{ nodeId: asNodeId('host:file.site'), action: 'create', status: 'done', durationMs: 1, attempts: 1 }], planned);
    assert.equal(after.get('host:file.site'), 'done');
    assert.equal(after.get('host:file.old'), 'delete');
  });
});

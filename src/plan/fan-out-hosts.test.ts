import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asNodeId, type NodeId } from '../core/brands.ts';
import { isDeferred } from './build-plan.ts';
import { matchAddress } from './dag.ts';
import { fanOutHosts } from './fan-out-hosts.ts';
import type { Attributes, DeferredValue, Plan, PlanNode } from './ir.ts';

const AT = { file: 'runestone.yaml', line: 1, column: 1 };

function node(id: string, provider: string, edges: readonly string[] = [], properties: PlanNode['properties'] = {}): PlanNode {
  const [kind = '', name = ''] = id.split('.');
  return {
    id: asNodeId(id),
    kind,
    name,
    provider,
    origin: AT,
    properties,
    edges: edges.map((to) => ({ to: asNodeId(to), reason: 'explicit', origin: AT })),
    driftPolicy: { autoHeal: true, notifyOnly: false },
    adopt: false,
  };
}

function pathOf(ref: string): DeferredValue {
  return {
    kind: 'deferred',
    source: `\${${ref}.path}`,
    refs: [asNodeId(ref)],
    location: AT,
    evaluate: (lookup) => {
      const attributes = lookup(asNodeId(ref));
      return attributes === undefined ? undefined : (attributes['path'] ?? null);
    },
  };
}

const PLAN: Plan = {
  stack: 'p/prod',
  project: 'p',
  environment: 'prod',
  baseDir: '/stack',
  nodes: [
    node('aws:s3:bucket.logs', 'aws'),
    node('host:directory.app', 'host'),
    node('host:file.motd', 'host', ['host:directory.app', 'aws:s3:bucket.logs'], { content: pathOf('host:directory.app') }),
    node('test:thing.after', 'test', ['host:file.motd']),
  ],
  outputs: [],
  providers: [
    { name: 'aws', type: 'aws', config: {} },
    { name: 'host', type: 'host', config: {} },
    { name: 'test', type: 'test', config: {} },
  ],
  secrets: [],
  configHash: 'x',
};

describe('fanOutHosts()', () => {
  test('leaves the plan alone for local only', () => {
    assert.equal(fanOutHosts(PLAN, ['local']), PLAN);
  });

  test('gives each remote host its own node ids and provider instance, with no local copy', () => {
    const out = fanOutHosts(PLAN, ['web1', 'web2']);
    assert.deepEqual(
      out.nodes.map((n) => [n.id, n.provider, n.edges.map((e) => e.to)]),
      [
        ['aws:s3:bucket.logs', 'aws', []],
        ['host:directory.app@web1', 'host@web1', []],
        ['host:directory.app@web2', 'host@web2', []],
        ['host:file.motd@web1', 'host@web1', ['host:directory.app@web1', 'aws:s3:bucket.logs']],
        ['host:file.motd@web2', 'host@web2', ['host:directory.app@web2', 'aws:s3:bucket.logs']],
        ['test:thing.after', 'test', ['host:file.motd@web1', 'host:file.motd@web2']],
      ],
    );
    assert.deepEqual(out.providers.map((p) => `${p.name}:${p.type}`), ['aws:aws', 'host@web1:host', 'host@web2:host', 'test:test']);
  });

  test('lets --target pick every host copy or one', () => {
    const out = fanOutHosts(PLAN, ['web1', 'web2']);
    assert.deepEqual(matchAddress(out.nodes, 'host:file.motd'), ['host:file.motd@web1', 'host:file.motd@web2']);
    assert.deepEqual(matchAddress(out.nodes, 'host:file.motd@web2'), ['host:file.motd@web2']);
  });

  test('drops host resources and host instances when no target is left', () => {
    const out = fanOutHosts(PLAN, []);
    assert.deepEqual(out.nodes.map((n) => n.id), ['aws:s3:bucket.logs', 'test:thing.after']);
    assert.deepEqual(out.providers.map((p) => p.name), ['aws', 'test']);
  });

  test('keeps plain ids on local next to remote copies', () => {
    const out = fanOutHosts(PLAN, ['local', 'web1']);
    assert.deepEqual(
      out.nodes.filter((n) => n.kind === 'host:file').map((n) => n.id),
      ['host:file.motd', 'host:file.motd@web1'],
    );
    assert.deepEqual(out.providers.map((p) => p.name), ['aws', 'host', 'host@web1', 'test']);
  });

  test('makes expressions read the attributes of the same host', () => {
    const out = fanOutHosts(PLAN, ['web1', 'web2']);
    const attributes: Record<string, Attributes> = { 'host:directory.app@web1': { path: '/one' }, 'host:directory.app@web2': { path: '/two' } };
    const lookup = (id: NodeId): Attributes | undefined => attributes[id];
    const values = out.nodes
      .filter((n) => n.kind === 'host:file')
      .map((n) => {
        const content = n.properties['content'];
        assert.ok(isDeferred(content));
        return [content.refs, content.evaluate(lookup)];
      });
    assert.deepEqual(values, [
      [['host:directory.app@web1'], '/one'],
      [['host:directory.app@web2'], '/two'],
    ]);
  });
});

import { asNodeId, type NodeId } from '../../core/brands.ts';
import type { JsonValue } from '../../core/json.ts';
import type { DeferredValue, DriftPolicy, Plan, PlanEdge, PlanNode, PlanValue } from '../../plan/ir.ts';
import { isDeferredValue } from '../resolve.ts';
import { FAKE_KIND } from './fake-provider.ts';

const ORIGIN = { file: 'runestone.yaml', line: 1, column: 1 };

/** The node id of a fake item: `fake:item.<name>`. */
export function fakeId(name: string): NodeId {
  return asNodeId(`${FAKE_KIND}.${name}`);
}

/** A deferred value reading `attribute` of fake item `name`, optionally transformed. */
export function ref(name: string, attribute: string, map: (value: JsonValue) => JsonValue = (v) => v): DeferredValue {
  const id = fakeId(name);
  return {
    kind: 'deferred',
    source: `\${res.${name}.${attribute}}`,
    refs: [id],
    location: ORIGIN,
    evaluate: (lookup) => {
      const value = lookup(id)?.[attribute];
      return value === undefined ? undefined : map(value);
    },
  };
}

/** Options for {@link fakeNode}. */
export interface FakeNodeOptions {
  /** Names of fake items this one explicitly depends on. */
  readonly dependsOn?: readonly string[];
  readonly driftPolicy?: Partial<DriftPolicy>;
  readonly provider?: string;
  readonly line?: number;
}

/** A plan node of kind `fake:item`; reference edges are derived from deferred values. */
export function fakeNode(name: string, properties: { readonly [key: string]: PlanValue }, options: FakeNodeOptions = {}): PlanNode {
  const origin = { ...ORIGIN, line: options.line ?? 1 };
  const edges: PlanEdge[] = (options.dependsOn ?? []).map((dep) => ({ to: fakeId(dep), reason: 'explicit', origin }));
  for (const refId of collectRefs(properties)) {
    if (!edges.some((e) => e.to === refId)) edges.push({ to: refId, reason: 'reference', origin });
  }
  return {
    id: fakeId(name),
    kind: FAKE_KIND,
    name,
    provider: options.provider ?? 'fake',
    origin,
    properties,
    edges,
    driftPolicy: { autoHeal: false, notifyOnly: false, ...options.driftPolicy },
    adopt: false,
  };
}

/** A plan over fake nodes for stack `test/dev`. */
export function fakePlan(nodes: readonly PlanNode[], options: { readonly secrets?: readonly string[]; readonly configHash?: string } = {}): Plan {
  return {
    stack: 'test/dev',
    project: 'test',
    environment: 'dev',
    baseDir: '/tmp',
    nodes,
    outputs: [],
    providers: [{ name: 'fake', type: 'fake', config: {} }],
    secrets: options.secrets ?? [],
    configHash: options.configHash ?? 'hash-1',
  };
}

function collectRefs(value: PlanValue): NodeId[] {
  if (isDeferredValue(value)) return [...value.refs];
  if (Array.isArray(value)) return (value as readonly PlanValue[]).flatMap(collectRefs);
  if (value !== null && typeof value === 'object') return Object.values(value as { readonly [key: string]: PlanValue }).flatMap(collectRefs);
  return [];
}

// Hand-built plain-data fixtures shared by the report tests. Not exported from the folder.
import { asNodeId } from '../../core/index.ts';
import type { JsonObject, NodeId } from '../../core/index.ts';
import type { Change, ChangeSet, DriftItem, NodeChange } from '../../engine/changes.ts';
import type { DriftPolicy } from '../../plan/ir.ts';
import type { LiveState } from '../../providers/contract.ts';

const HEAL: DriftPolicy = { autoHeal: true, notifyOnly: false };

/** A live state with the given properties. */
export function live(properties: JsonObject, identity = '/x'): LiveState {
  return { identity, properties, attributes: {} };
}

/** One node change; `kind` and `name` come from the id `kind.name`. */
export function nodeChange(
  id: string,
  change: Change,
  extra: { readonly drift?: readonly Omit<DriftItem, 'nodeId'>[]; readonly dependsOn?: readonly string[]; readonly module?: string; readonly driftPolicy?: DriftPolicy } = {},
): NodeChange {
  const dot = id.indexOf('.');
  const kind = id.slice(0, dot);
  const nodeId = asNodeId(id);
  return {
    nodeId,
    kind,
    name: id.slice(dot + 1),
    provider: kind.split(':')[0] ?? 'host',
    change,
    drift: (extra.drift ?? []).map((item) => ({ ...item, nodeId })),
    driftPolicy: extra.driftPolicy ?? HEAL,
    dependsOn: (extra.dependsOn ?? []).map((dep): NodeId => asNodeId(dep)),
    origin: { file: 'runestone.yaml', line: 3, column: 5 },
    ...(extra.module === undefined ? {} : { module: extra.module }),
  };
}

/** A change set of the given node changes. */
export function changeSet(changes: readonly NodeChange[]): ChangeSet {
  return { stack: 'demo/dev', changes, liveFingerprints: {} };
}

/** The brief's example: drift on motd, 1 create, 2 updates, 1 removal, 1 no-op. */
export function sampleChangeSet(): ChangeSet {
  return changeSet([
    nodeChange('host:directory.etc', { kind: 'no-op', before: live({ path: '/etc/app' }) }),
    nodeChange(
      'host:file.motd',
      { kind: 'update', before: live({ content: 'hi' }), after: { properties: { content: 'hello' }, unknownPaths: [] }, diff: [{ path: '/content', before: 'hi', after: 'hello', forcesReplace: false }] },
      { drift: [{ path: '/content', description: 'content changed (sha256 1a2b3c4d → 5e6f7a8b)' }], dependsOn: ['host:directory.etc'] },
    ),
    nodeChange(
      'host:file.conf',
      { kind: 'update', before: live({ mode: '0644' }), after: { properties: { mode: '0600' }, unknownPaths: [] }, diff: [{ path: '/mode', before: '0644', after: '0600', forcesReplace: false }] },
      { dependsOn: ['host:directory.etc'] },
    ),
    nodeChange(
      'host:file.site',
      { kind: 'create', after: { properties: { path: '/srv/site', content: 'x' }, unknownPaths: ['/content'] } },
      { dependsOn: ['host:file.conf'] },
    ),
    nodeChange('host:file.old', { kind: 'delete', before: live({ path: '/srv/old' }) }),
  ]);
}

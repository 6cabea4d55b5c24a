import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asNodeId } from '../core/brands.ts';
import type { JsonObject } from '../core/json.ts';
import type { FieldDiff, KindHandler, LiveState } from '../providers/contract.ts';
import { classifyChange, describeDrift, describeFieldDiff, diffProperties, diffResource } from './diff.ts';

interface Row {
  readonly name: string;
  readonly desired: JsonObject;
  readonly live: JsonObject;
  readonly forceReplace?: readonly string[];
  readonly unknownPaths?: readonly string[];
  readonly expected: readonly Partial<FieldDiff>[];
}

const ROWS: readonly Row[] = [
  { name: 'equal managed fields give no diff', desired: { mode: '0644' }, live: { mode: '0644' }, expected: [] },
  { name: 'ignores unmanaged top-level live fields', desired: { mode: '0644' }, live: { mode: '0644', owner: 'root' }, expected: [] },
  {
    name: 'reports a changed scalar',
    desired: { mode: '0644' },
    live: { mode: '0600' },
    expected: [{ path: '/mode', before: '0600', after: '0644', forcesReplace: false }],
  },
  { name: 'reports a field missing live', desired: { content: 'x' }, live: {}, expected: [{ path: '/content', before: undefined, after: 'x' }] },
  {
    name: 'compares nested maps key by key',
    desired: { tags: { env: 'prod', team: 'a' } },
    live: { tags: { env: 'dev', team: 'a' } },
    expected: [{ path: '/tags/env', before: 'dev', after: 'prod' }],
  },
  {
    name: 'reports an extra key inside a managed map',
    desired: { tags: { team: 'a' } },
    live: { tags: { team: 'a', env: 'qa' } },
    expected: [{ path: '/tags/env', before: 'qa', after: undefined, description: 'has extra tag "env=qa"' }],
  },
  {
    name: 'reports a key missing inside a managed map',
    desired: { tags: { env: 'prod' } },
    live: { tags: {} },
    expected: [{ path: '/tags/env', before: undefined, after: 'prod', description: 'is missing tag "env=prod"' }],
  },
  {
    name: 'names an extra key in a map whose name is not plural',
    desired: { config: { a: '1' } },
    live: { config: { a: '1', b: 2 } },
    expected: [{ path: '/config/b', description: 'has extra key "b=2" in config' }],
  },
  { name: 'compares arrays as whole values', desired: { list: [1, 2] }, live: { list: [2, 1] }, expected: [{ path: '/list', before: [2, 1], after: [1, 2] }] },
  {
    name: 'marks a force-replace field',
    desired: { region: 'eu' },
    live: { region: 'us' },
    forceReplace: ['region'],
    expected: [{ path: '/region', forcesReplace: true }],
  },
  {
    name: 'marks nested paths under a force-replace field',
    desired: { placement: { zone: 'b' } },
    live: { placement: { zone: 'a' } },
    forceReplace: ['placement'],
    expected: [{ path: '/placement/zone', forcesReplace: true }],
  },
  {
    name: 'reports an unknown desired field as known after commit',
    desired: {},
    live: { content: 'old' },
    unknownPaths: ['/content'],
    expected: [{ path: '/content', before: 'old', after: undefined, unknownAfter: true }],
  },
  {
    name: 'does not report extra keys under an unknown path',
    desired: { tags: { a: '1' } },
    live: { tags: { a: '1', owner: 'x' } },
    unknownPaths: ['/tags/owner'],
    expected: [{ path: '/tags/owner', before: 'x', unknownAfter: true }],
  },
  {
    name: 'treats a map replaced by a scalar as one field diff',
    desired: { tags: { a: '1' } },
    live: { tags: 'none' },
    expected: [{ path: '/tags', before: 'none', after: { a: '1' } }],
  },
];

describe('diffProperties()', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const diffs = diffProperties(row.desired, row.live, { forceReplace: row.forceReplace ?? [], unknownPaths: row.unknownPaths ?? [] });
      assert.equal(diffs.length, row.expected.length, JSON.stringify(diffs));
      row.expected.forEach((expected, i) => {
        const actual = diffs[i] as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(expected)) assert.deepEqual(actual[key], value, `${key} of ${JSON.stringify(actual)}`);
      });
    });
  }
});

const LIVE: LiveState = { identity: 'x', properties: { mode: '0600' }, attributes: {} };

describe('classifyChange()', () => {
  const desired = { properties: { mode: '0644' }, unknownPaths: [] };
  const update: FieldDiff = { path: '/mode', before: '0600', after: '0644', forcesReplace: false };
  const replace: FieldDiff = { path: '/region', before: 'us', after: 'eu', forcesReplace: true };
  const cases: [string, Parameters<typeof classifyChange>, string][] = [
    ['creates a missing resource', [desired, undefined, []], 'create'],
    ['deletes a resource not in config', [undefined, LIVE, []], 'delete'],
    ['is a no-op without diffs', [desired, LIVE, []], 'no-op'],
    ['updates on a plain diff', [desired, LIVE, [update]], 'update'],
    ['replaces when a diff forces it', [desired, LIVE, [update, replace]], 'replace'],
  ];
  for (const [name, args, kind] of cases) {
    it(name, () => {
      assert.equal(classifyChange(...args).kind, kind);
    });
  }

  it('gives the forcing fields as the replace reason', () => {
    const change = classifyChange(desired, LIVE, [replace]);
    assert.equal(change.kind === 'replace' ? change.reason : '', 'changing "region" forces replacement');
  });

  it('throws without desired and live state', () => {
    assert.throws(() => classifyChange(undefined, undefined, []));
  });
});

describe('describeDrift()', () => {
  it('describes each known field diff and skips unknown ones', () => {
    const drift = describeDrift(asNodeId('host:file.a'), [
      { path: '/mode', before: '0600', after: '0644', forcesReplace: false },
      { path: '/tags/env', before: 'qa', after: undefined, forcesReplace: false, description: 'has extra tag "env=qa"' },
      { path: '/content', before: 'x', after: undefined, forcesReplace: false, unknownAfter: true },
    ]);
    assert.deepEqual(
      drift.map((d) => d.description),
      ['mode is "0600" (expected "0644")', 'has extra tag "env=qa"'],
    );
  });

  it('describes unset and unknown fields', () => {
    assert.equal(describeFieldDiff({ path: '/size', before: undefined, after: 100, forcesReplace: false }), 'size is not set (expected 100)');
    assert.equal(describeFieldDiff({ path: '/a/b', before: 1, after: undefined, forcesReplace: false, unknownAfter: true }), 'a.b will be known after commit');
  });
});

describe('diffResource()', () => {
  const base: Omit<KindHandler, 'diff'> = {
    kind: 'k:x',
    description: '',
    schema: {},
    forceReplace: ['region'],
    attributes: [],
    read: () => Promise.resolve(undefined),
    create: () => Promise.resolve(LIVE),
    update: () => Promise.resolve(LIVE),
    delete: () => Promise.resolve(),
  };
  const desired = { address: 'k:x.a', kind: 'k:x', name: 'a', properties: { region: 'eu', size: 2 } };

  it('uses the structural default without a kind diff', () => {
    const live = { ...LIVE, properties: { region: 'us', size: 2 } };
    assert.deepEqual(diffResource(base, desired, live, []).map((d) => [d.path, d.forcesReplace]), [['/region', true]]);
  });

  it('uses the kind diff when given, marking force-replace fields and adding unknowns', () => {
    const handler: KindHandler = { ...base, diff: () => [{ path: '/region', before: 'us', after: 'eu', forcesReplace: false, description: 'is in us' }] };
    const diffs = diffResource(handler, desired, LIVE, ['/size']);
    assert.deepEqual(
      diffs.map((d) => [d.path, d.forcesReplace, d.unknownAfter ?? false, d.description]),
      [
        ['/region', true, false, 'is in us'],
        ['/size', false, true, undefined],
      ],
    );
  });
});

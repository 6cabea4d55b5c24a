import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { asNodeId, Redactor } from '../core/index.ts';
import type { NodeResult, RunSummary } from '../engine/events.ts';
import { buildGraphDocument, graphFromChangeSet } from './graph.ts';
import { changeSet, live, nodeChange, sampleChangeSet } from './internal/fixtures.ts';
import { API_VERSION, buildPreviewDocument, buildResultDocument, serializeDocument } from './json-document.ts';

const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
const loadSchema = (name: string): object => JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as object;
const validatePreview = ajv.compile(loadSchema('preview.schema.json'));
const validateResult = ajv.compile(loadSchema('result.schema.json'));
const validateGraph = ajv.compile(loadSchema('graph.schema.json'));

/** Round-trips through JSON text, as a consumer of stdout sees the document. */
const parsed = (document: object): unknown => JSON.parse(serializeDocument(document as never));

const summary = (overrides: Partial<RunSummary> = {}): RunSummary => ({
  verb: 'commit',
  done: 2,
  failed: 1,
  skipped: 1,
  aborted: false,
  durationMs: 1234,
  counts: { create: 1, update: 2, replace: 0, delete: 1, noop: 1, drift: 1 },
  ...overrides,
});

const results: readonly NodeResult[] = [
  { nodeId: asNodeId('host:file.motd'), action: 'update', status: 'done', durationMs: 12, attempts: 1 },
  { nodeId: asNodeId('host:file.conf'), action: 'update', status: 'failed', durationMs: 3, attempts: 2, error: { code: 'RS_INTERNAL_E0001', message: 'Cannot write "/etc/x": permission denied', location: { file: 'a.yaml', line: 1, column: 2 } } },
  { nodeId: asNodeId('host:file.site'), action: 'create', status: 'skipped', durationMs: 0, attempts: 0, skippedBecause: asNodeId('host:file.conf') },
];

describe('buildPreviewDocument()', () => {
  it('produces a versioned document valid against schemas/preview.schema.json', () => {
    const document = buildPreviewDocument(sampleChangeSet(), { generatedAt: '2025-01-01T00:00:00Z' });
    assert.equal(document.apiVersion, API_VERSION);
    assert.equal(document.kind, 'Preview');
    assert.deepEqual(document.summary, { create: 1, update: 2, replace: 0, delete: 1, noop: 1, drift: 1 });
    assert.equal(document.hasChanges, true);
    assert.deepEqual(document.drift, [{ nodeId: 'host:file.motd', path: '/content', description: 'content changed (sha256 1a2b3c4d → 5e6f7a8b)' }]);
    const valid = validatePreview(parsed(document));
    assert.ok(valid, JSON.stringify(validatePreview.errors));
  });

  it('describes each action with the fields it has', () => {
    const document = buildPreviewDocument(sampleChangeSet());
    const site = document.changes.find((entry) => entry.nodeId === 'host:file.site');
    assert.ok(site);
    assert.deepEqual(site.unknownPaths, ['/content']);
    assert.equal(site.before, undefined);
    const old = document.changes.find((entry) => entry.nodeId === 'host:file.old');
    assert.ok(old);
    assert.deepEqual(old.before, { path: '/srv/old' });
    assert.equal(old.after, undefined);
  });

  it('is valid for a replacement and for an empty change set', () => {
    const replace = changeSet([
      nodeChange('host:link.l', { kind: 'replace', before: live({ path: '/a' }), after: { properties: { path: '/b' }, unknownPaths: [] }, diff: [{ path: '/path', before: '/a', after: '/b', forcesReplace: true }], reason: 'path changed' }, { module: 'module:web.site' }),
    ]);
    assert.ok(validatePreview(parsed(buildPreviewDocument(replace))), JSON.stringify(validatePreview.errors));
    const empty = buildPreviewDocument(changeSet([]));
    assert.equal(empty.hasChanges, false);
    assert.ok(validatePreview(parsed(empty)));
  });

  it('redacts secrets', () => {
    const redactor = new Redactor();
    redactor.add('hunter2');
    const set = changeSet([nodeChange('host:file.env', { kind: 'create', after: { properties: { content: 'pw=hunter2' }, unknownPaths: [] } })]);
    const text = serializeDocument(buildPreviewDocument(set, { redactor }));
    assert.ok(!text.includes('hunter2'));
    assert.ok(text.includes('pw=(secret)'));
  });
});

describe('buildResultDocument()', () => {
  it('produces a CommitResult valid against schemas/result.schema.json', () => {
    const document = buildResultDocument(summary(), results, { stack: 'demo/dev', changes: sampleChangeSet() });
    assert.equal(document.kind, 'CommitResult');
    assert.equal(document.status, 'failed');
    assert.deepEqual(document.drift?.resolved.map((item) => item.nodeId), ['host:file.motd']);
    assert.ok(validateResult(parsed(document)), JSON.stringify(validateResult.errors));
  });

  it('reports success and abort', () => {
    assert.equal(buildResultDocument(summary({ failed: 0 }), [], { stack: 's' }).status, 'succeeded');
    const aborted = buildResultDocument(summary({ aborted: true }), [], { stack: 's' });
    assert.equal(aborted.status, 'aborted');
    assert.equal(aborted.drift, undefined);
    assert.ok(validateResult(parsed(aborted)));
  });

  it('is rejected by the schema when a field is wrong', () => {
    const bad = { ...buildResultDocument(summary(), results, { stack: 's' }), status: 'partly' };
    assert.equal(validateResult(parsed(bad)), false);
  });
});

describe('buildGraphDocument()', () => {
  it('produces a Graph valid against schemas/graph.schema.json', () => {
    const document = buildGraphDocument(graphFromChangeSet(sampleChangeSet()));
    assert.ok(validateGraph(parsed(document)), JSON.stringify(validateGraph.errors));
    assert.equal(validateGraph(parsed({ ...document, edges: [{ node: 'a', dependsOn: 'b', reason: 'magic' }] })), false);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Redactor } from '../core/index.ts';
import type { RunEvent } from '../engine/events.ts';
import { ended, finished, nodeStarted, output, planned, started } from './internal/events.ts';
import { sampleChangeSet } from './internal/fixtures.ts';
import { createJsonlWriter, formatEventLine, openJsonlFile } from './jsonl-writer.ts';
import { createMemoryWriter } from './output-writer.ts';
import { dispatchEvent, toEventListener } from './reporter.ts';
import type { Reporter } from './reporter.ts';
import { findReporter, listReporterNames } from './reporters.ts';

const COMMIT: readonly RunEvent[] = [
  started('commit'),
  planned(sampleChangeSet()),
  nodeStarted('host:file.site', 'create'),
  output('host:file.site', 'wrote 1 byte'),
  finished('host:file.site', 'create', 'done'),
  ended('commit', { done: 1 }),
];

describe('reporter selection', () => {
  it('finds reporters by name and says undefined for unknown names', () => {
    assert.deepEqual(listReporterNames(), ['text', 'json', 'markdown']);
    assert.equal(findReporter('yaml'), undefined);
  });

  it('the json reporter writes only the document, once, at the end', async () => {
    const out = createMemoryWriter();
    const reporter = findReporter('json')!({ writer: out });
    for (const event of COMMIT.slice(0, -1)) await dispatchEvent(reporter, event);
    assert.equal(out.text, '');
    await dispatchEvent(reporter, COMMIT.at(-1)!);
    const document = JSON.parse(out.text) as { kind: string; stack: string; results: unknown[] };
    assert.equal(document.kind, 'CommitResult');
    assert.equal(document.stack, 'demo/dev');
    assert.equal(document.results.length, 1);
  });

  it('the json and markdown reporters write a preview for preview runs', async () => {
    const json = createMemoryWriter();
    const markdown = createMemoryWriter();
    const listener = toEventListener([findReporter('json')!({ writer: json }), findReporter('markdown')!({ writer: markdown })]);
    for (const event of [started('preview'), planned(sampleChangeSet()), ended('preview')]) await listener(event);
    assert.equal((JSON.parse(json.text) as { kind: string }).kind, 'Preview');
    assert.ok(markdown.text.startsWith('## Runestone preview: <code>demo/dev</code>'));
  });

  it('calls onEvent first, then the typed hook', async () => {
    const calls: string[] = [];
    const reporter: Reporter = {
      onEvent: (event) => void calls.push(`event:${event.kind}`),
      onRunStart: () => void calls.push('start'),
      onNodeResult: (result) => void calls.push(`result:${result.nodeId}`),
    };
    for (const event of COMMIT) await dispatchEvent(reporter, event);
    assert.deepEqual(calls, ['event:run.started', 'start', 'event:plan.built', 'event:node.started', 'event:node.output', 'event:node.finished', 'result:host:file.site', 'event:run.finished']);
  });
});

describe('createJsonlWriter()', () => {
  it('writes one JSON object per line as events arrive', async () => {
    const lines: string[] = [];
    const reporter = createJsonlWriter({ write: (text) => lines.push(text) });
    for (const event of COMMIT.slice(0, 2)) await dispatchEvent(reporter, event);
    assert.equal(lines.length, 2);
    for (const event of COMMIT.slice(2)) await dispatchEvent(reporter, event);
    assert.equal(lines.length, COMMIT.length);
    assert.ok(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n')));
    assert.deepEqual(lines.map((line) => (JSON.parse(line) as RunEvent).kind), ['run.started', 'plan.built', 'node.started', 'node.output', 'node.finished', 'run.finished']);
  });

  it('redacts secrets in every event', () => {
    const redactor = new Redactor();
    redactor.add('hunter2');
    const line = formatEventLine(output('host:command.x', 'token hunter2'), redactor);
    assert.ok(line.includes('token (secret)'));
    assert.ok(!line.includes('hunter2'));
  });
});

describe('openJsonlFile()', () => {
  it('puts each line on disk as it is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runestone-jsonl-'));
    try {
      const path = join(dir, 'events.jsonl');
      const file = openJsonlFile(path);
      const reporter = createJsonlWriter(file);
      await dispatchEvent(reporter, started('commit'));
      assert.equal(readFileSync(path, 'utf8').split('\n').length, 2);
      await dispatchEvent(reporter, ended('commit'));
      file.close();
      assert.deepEqual(readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as RunEvent).kind), ['run.started', 'run.finished']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asNodeId, Redactor } from '../core/index.ts';
import { changeSet, live, nodeChange, sampleChangeSet } from './internal/fixtures.ts';
import { renderPreviewMarkdown, renderResultMarkdown } from './markdown.ts';

describe('renderPreviewMarkdown()', () => {
  it('renders the summary table, drift, per-node details and a mermaid graph', () => {
    const text = renderPreviewMarkdown(sampleChangeSet());
    assert.equal(
      text,
      [
        '## Runestone preview: <code>demo/dev</code>',
        '',
        '| | Change | Resources |',
        '| :-: | --- | ---: |',
        '| <code>+</code> | Create | 1 |',
        '| <code>~</code> | Update | 2 |',
        '| <code>±</code> | Replace | 0 |',
        '| <code>-</code> | Remove | 1 |',
        '| | Unchanged | 1 |',
        '| | Drift findings | 1 |',
        '',
        '### Drift detected',
        '',
        '- <code>host:file.motd</code>: content changed (sha256 1a2b3c4d → 5e6f7a8b)',
        '',
        '### Changes',
        '',
        '<details>',
        '<summary><code>~</code> <code>host:file.motd</code> will be updated</summary>',
        '',
        '| Field | Before | After |',
        '| --- | --- | --- |',
        '| <code>content</code> | <code>"hi"</code> | <code>"hello"</code> |',
        '',
        '</details>',
        '',
        '<details>',
        '<summary><code>~</code> <code>host:file.conf</code> will be updated</summary>',
        '',
        '| Field | Before | After |',
        '| --- | --- | --- |',
        '| <code>mode</code> | <code>"0644"</code> | <code>"0600"</code> |',
        '',
        '</details>',
        '',
        '<details>',
        '<summary><code>+</code> <code>host:file.site</code> will be created</summary>',
        '',
        '| Field | Before | After |',
        '| --- | --- | --- |',
        '| <code>path</code> | | <code>"/srv/site"</code> |',
        '| <code>content</code> | | <code>(known after commit)</code> |',
        '',
        '</details>',
        '',
        '<details>',
        '<summary><code>-</code> <code>host:file.old</code> will be removed</summary>',
        '',
        '</details>',
        '',
        '### Graph',
        '',
        '```mermaid',
        'graph TD',
        '  n0["[~] motd<br/>host:file"]',
        '  n1["[~] conf<br/>host:file"]',
        '  n2["[+] site<br/>host:file"]',
        '  n3["[-] old<br/>host:file"]',
        '  n1 --> n2',
        '  classDef create fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
        '  class n2 create',
        '  classDef update fill:#fff8c5,stroke:#9a6700,color:#1f2328',
        '  class n0,n1 update',
        '  classDef delete fill:#ffebe9,stroke:#cf222e,color:#1f2328',
        '  class n3 delete',
        '```',
        '',
        'Next: run `runestone commit` to apply these changes.',
        '',
      ].join('\n'),
    );
  });

  it('escapes table-breaking characters and keeps secrets hidden', () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t');
    const set = changeSet([
      nodeChange('host:file.x', {
        kind: 'update',
        before: live({}),
        after: { properties: {}, unknownPaths: [] },
        diff: [{ path: '/content', before: 'a|b`c<d>', after: 'token s3cr3t', forcesReplace: false }],
      }),
    ]);
    const text = renderPreviewMarkdown(set, { redactor, graph: false });
    assert.ok(text.includes('<code>"a&#124;b`c&lt;d&gt;"</code>'));
    assert.ok(text.includes('<code>"token (secret)"</code>'));
    assert.ok(!text.includes('s3cr3t'));
    assert.ok(!text.includes('```mermaid'));
  });

  it('says there is nothing to do', () => {
    const text = renderPreviewMarkdown(changeSet([nodeChange('host:file.a', { kind: 'no-op', before: live({}) })]));
    assert.equal(text, '## Runestone preview: <code>demo/dev</code>\n\nNo changes. Infrastructure matches the configuration.\n');
  });
});

describe('renderResultMarkdown()', () => {
  it('lists totals, failures and skipped nodes', () => {
    const text = renderResultMarkdown(
      { verb: 'commit', done: 1, failed: 1, skipped: 1, aborted: false, durationMs: 1500, counts: { create: 2, update: 1, replace: 0, delete: 0, noop: 0, drift: 0 } },
      [
        { nodeId: asNodeId('host:file.a'), action: 'create', status: 'done', durationMs: 3, attempts: 1 },
        { nodeId: asNodeId('host:command.x'), action: 'create', status: 'failed', durationMs: 3, attempts: 1, error: { code: 'RS_INTERNAL_E0001', message: 'Command "make" exited with 2' } },
        { nodeId: asNodeId('host:file.y'), action: 'update', status: 'skipped', durationMs: 0, attempts: 0, skippedBecause: asNodeId('host:command.x') },
      ],
      { stack: 'demo/dev' },
    );
    assert.ok(text.startsWith('## Runestone commit failed: <code>demo/dev</code>\n'));
    assert.ok(text.includes('| 1 | 1 | 1 | 1.5s |'));
    assert.ok(text.includes('- <code>host:command.x</code>: Command "make" exited with 2 (<code>RS_INTERNAL_E0001</code>)'));
    assert.ok(text.includes('- <code>host:file.y</code> because <code>host:command.x</code> failed'));
  });
});

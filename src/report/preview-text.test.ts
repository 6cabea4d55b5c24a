import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from '../core/index.ts';
import { changeSet, live, nodeChange, sampleChangeSet } from './internal/fixtures.ts';
import { renderPreviewText } from './preview-text.ts';
import { createStyle, stripAnsi } from './style.ts';

const create = (id: string) => nodeChange(id, { kind: 'create', after: { properties: { path: `/${id}` }, unknownPaths: [] } });
const remove = (id: string) => nodeChange(id, { kind: 'delete', before: live({}) });

describe('renderPreviewText()', () => {
  it('prints the Option A summary without details', () => {
    assert.equal(
      renderPreviewText(sampleChangeSet(), { details: false }),
      [
        'Inspecting live infrastructure...',
        '',
        'Drift detected:',
        '  • host:file.motd content changed (sha256 1a2b3c4d → 5e6f7a8b)',
        '',
        'Changes detected:',
        '  + 1 new resource will be created',
        '  ~ 2 resources will be updated',
        '  - 1 resource will be removed',
        '',
        'Next: run `runestone commit` to apply these changes.',
        '',
      ].join('\n'),
    );
  });

  it('lists each node with field-level changes and unknown values', () => {
    assert.equal(
      renderPreviewText(sampleChangeSet(), { header: false }),
      [
        'Drift detected:',
        '  • host:file.motd content changed (sha256 1a2b3c4d → 5e6f7a8b)',
        '',
        'Changes detected:',
        '  + 1 new resource will be created',
        '    + host:file.site',
        '        path: "/srv/site"',
        '        content: (known after commit)',
        '  ~ 2 resources will be updated',
        '    ~ host:file.motd',
        '        content: "hi" → "hello"',
        '    ~ host:file.conf',
        '        mode: "0644" → "0600"',
        '  - 1 resource will be removed',
        '    - host:file.old',
        '',
        'Next: run `runestone commit` to apply these changes.',
        '',
      ].join('\n'),
    );
  });

  it('uses the plural for several creations and removals', () => {
    const text = renderPreviewText(changeSet([create('host:file.a'), create('host:file.b'), remove('host:file.c'), remove('host:file.d')]), { details: false, header: false });
    assert.match(text, /^ {2}\+ 2 new resources will be created$/m);
    assert.match(text, /^ {2}- 2 resources will be removed$/m);
    assert.doesNotMatch(text, /Drift detected/);
  });

  it('prints replacements with their reason and forced fields', () => {
    const text = renderPreviewText(
      changeSet([
        nodeChange('host:link.l', {
          kind: 'replace',
          before: live({ path: '/a' }),
          after: { properties: { path: '/b' }, unknownPaths: [] },
          diff: [{ path: '/path', before: '/a', after: '/b', forcesReplace: true }],
          reason: 'path cannot change in place',
        }),
      ]),
      { header: false },
    );
    assert.equal(
      text,
      'Changes detected:\n  ± 1 resource will be replaced\n    ± host:link.l (path cannot change in place)\n        path: "/a" → "/b" (forces replacement)\n\nNext: run `runestone commit` to apply these changes.\n',
    );
  });

  it('says so when nothing changes', () => {
    const text = renderPreviewText(changeSet([nodeChange('host:file.a', { kind: 'no-op', before: live({}) })]));
    assert.equal(text, 'Inspecting live infrastructure...\n\nNo changes. Infrastructure matches the configuration.\n');
  });

  it('keeps (secret) and redacts registered secrets', () => {
    const redactor = new Redactor();
    redactor.add('hunter2');
    const text = renderPreviewText(
      changeSet([
        nodeChange('host:file.env', {
          kind: 'update',
          before: live({}),
          after: { properties: {}, unknownPaths: [] },
          diff: [
            { path: '/content', before: '(secret)', after: 'pw=hunter2', forcesReplace: false },
            { path: '/owner', before: 'root', after: undefined, forcesReplace: false },
            { path: '/target', before: undefined, after: undefined, forcesReplace: false, unknownAfter: true },
          ],
        }),
      ]),
      { header: false, redactor },
    );
    assert.match(text, /content: \(secret\) → "pw=\(secret\)"/);
    assert.match(text, /owner: "root" → \(removed\)/);
    assert.match(text, /target: \(none\) → \(known after commit\)/);
    assert.doesNotMatch(text, /hunter2/);
  });

  it('colours only when the style says so', () => {
    const plain = renderPreviewText(sampleChangeSet());
    assert.ok(!plain.includes('\u001b['));
    const coloured = renderPreviewText(sampleChangeSet(), { style: createStyle({ color: true }) });
    assert.ok(coloured.includes('\u001b[32m+ 1 new resource will be created\u001b[39m'));
    assert.ok(coloured.includes('\u001b[33m~ 2 resources will be updated\u001b[39m'));
    assert.ok(coloured.includes('\u001b[31m- 1 resource will be removed\u001b[39m'));
    assert.ok(coloured.includes('\u001b[34m•\u001b[39m host:file.motd'));
    assert.equal(stripAnsi(coloured), plain);
  });

  it('omits the Next line when asked', () => {
    assert.doesNotMatch(renderPreviewText(sampleChangeSet(), { next: false }), /Next:/);
  });
});

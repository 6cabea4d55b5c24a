import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from '../core/index.ts';
import type { RunEvent } from '../engine/events.ts';
import { createConsoleReporter } from './console-reporter.ts';
import { ended, finished, nodeStarted, output, planned, started } from './internal/events.ts';
import { changeSet, live, nodeChange, sampleChangeSet } from './internal/fixtures.ts';
import { createMemoryWriter } from './output-writer.ts';
import { renderPreviewText } from './preview-text.ts';
import { dispatchEvent } from './reporter.ts';
import type { Reporter } from './reporter.ts';

async function run(reporter: Reporter, events: readonly RunEvent[]): Promise<void> {
  for (const event of events) await dispatchEvent(reporter, event);
}

const FAILED_ERROR = { code: 'RS_INTERNAL_E0001', message: 'Command "make" exited with status 2', hint: 'Run it by hand to see why' } as const;

describe('createConsoleReporter() on a plain stream', () => {
  it('prints the seed commit output', async () => {
    const out = createMemoryWriter();
    await run(createConsoleReporter({ writer: out }), [
      started('commit'),
      planned(sampleChangeSet()),
      nodeStarted('host:file.site', 'create'),
      finished('host:file.site', 'create', 'done'),
      finished('host:file.motd', 'update', 'done'),
      finished('host:file.old', 'delete', 'done'),
      finished('host:directory.etc', 'no-op', 'done'),
      ended('commit', { done: 4 }),
    ]);
    assert.equal(
      out.text,
      [
        'Committing infrastructure changes...',
        '',
        '  + Created host:file.site (12ms)',
        '  ~ Updated host:file.motd (12ms)',
        '  - Removed host:file.old (12ms)',
        '',
        'Commit complete (duration: 1.2s)',
        '',
      ].join('\n'),
    );
  });

  it('reports failures, skips and streamed output, then says exactly what happened', async () => {
    const out = createMemoryWriter();
    await run(createConsoleReporter({ writer: out }), [
      started('commit'),
      nodeStarted('host:command.x', 'create'),
      output('host:command.x', 'make: *** [all] Error 2'),
      finished('host:file.a', 'create', 'done'),
      finished('host:command.x', 'create', 'failed', { error: FAILED_ERROR }),
      finished('host:file.y', 'update', 'skipped', { because: 'host:command.x' }),
      ended('commit', { done: 1, failed: 1, skipped: 1 }),
    ]);
    assert.equal(
      out.text,
      [
        'Committing infrastructure changes...',
        '',
        '    [host:command.x] make: *** [all] Error 2',
        '  + Created host:file.a (12ms)',
        '  ✗ Failed host:command.x: Command "make" exited with status 2',
        '      hint: Run it by hand to see why',
        '  Skipped host:file.y (because host:command.x failed)',
        '',
        'Commit failed (duration: 1.2s): 1 done, 1 failed, 1 skipped',
        '  Done:    host:file.a',
        '  Failed:  host:command.x',
        '  Skipped: host:file.y',
        '',
      ].join('\n'),
    );
  });

  it('says when a commit had nothing to do and when a run was stopped', async () => {
    const quiet = createMemoryWriter();
    await run(createConsoleReporter({ writer: quiet }), [started('commit'), planned(changeSet([])), ended('commit')]);
    assert.equal(quiet.text, 'Committing infrastructure changes...\n\nNo changes. Infrastructure matches the configuration.\n\nCommit complete (duration: 1.2s)\n');
    const stopped = createMemoryWriter();
    await run(createConsoleReporter({ writer: stopped }), [started('commit'), planned(changeSet([])), finished('host:file.a', 'create', 'skipped'), ended('commit', { skipped: 1, aborted: true })]);
    assert.match(stopped.text, /Skipped host:file.a \(run stopped\)\n\nCommit aborted \(duration: 1.2s\): 0 done, 0 failed, 1 skipped\n/);
    assert.match(stopped.text, /Stopped on request: nothing new was started and running work was let finish\n$/);
  });

  it('prints no summary for a run stopped before its plan was built', async () => {
    const refused = createMemoryWriter();
    await run(createConsoleReporter({ writer: refused }), [started('commit'), ended('commit')]);
    assert.equal(refused.text, 'Committing infrastructure changes...\n\n');
  });

  it('prints the preview text for preview runs', async () => {
    const out = createMemoryWriter();
    await run(createConsoleReporter({ writer: out }), [started('preview'), planned(sampleChangeSet()), ended('preview')]);
    assert.equal(out.text, renderPreviewText(sampleChangeSet()));
  });

  it('prints healed and notify-only drift for align', async () => {
    const policy = { autoHeal: false, notifyOnly: true };
    const set = changeSet([
      nodeChange('host:file.motd', { kind: 'update', before: live({}), after: { properties: {}, unknownPaths: [] }, diff: [] }, { drift: [{ path: '/content', description: 'content changed (sha256 1a2b → 5e6f)' }] }),
      nodeChange('host:file.conf', { kind: 'update', before: live({}), after: { properties: {}, unknownPaths: [] }, diff: [] }, { drift: [{ path: '/mode', description: 'mode is 0600 (expected 0644)' }], driftPolicy: policy }),
    ]);
    const out = createMemoryWriter();
    await run(createConsoleReporter({ writer: out }), [started('align'), planned(set), finished('host:file.motd', 'update', 'done'), ended('align', { done: 1 })]);
    assert.equal(
      out.text,
      [
        'Aligning desired state with reality...',
        '',
        '  • Healed host:file.motd: content changed (sha256 1a2b → 5e6f) (12ms)',
        '  ! Not healed host:file.conf: mode is 0600 (expected 0644) (notify-only)',
        '',
        'Infrastructure aligned (1 drift issue resolved, 1 reported only)',
        '',
      ].join('\n'),
    );
  });

  it('uses the plural and says when align found no drift', async () => {
    const drift = (id: string) => nodeChange(id, { kind: 'update', before: live({}), after: { properties: {}, unknownPaths: [] }, diff: [] }, { drift: [{ path: '/x', description: 'x changed' }] });
    const two = createMemoryWriter();
    await run(createConsoleReporter({ writer: two }), [started('align'), planned(changeSet([drift('host:file.a'), drift('host:file.b')])), finished('host:file.a', 'update', 'done'), finished('host:file.b', 'update', 'done'), ended('align')]);
    assert.match(two.text, /\nInfrastructure aligned \(2 drift issues resolved\)\n$/);
    const none = createMemoryWriter();
    await run(createConsoleReporter({ writer: none }), [started('align'), planned(changeSet([])), ended('align')]);
    assert.equal(none.text, 'Aligning desired state with reality...\n\nInfrastructure aligned (no drift found)\n');
  });

  it('lists what dismantle removes, then its summary', async () => {
    const set = changeSet([nodeChange('host:file.a', { kind: 'delete', before: live({}) }), nodeChange('host:directory.d', { kind: 'delete', before: live({}) })]);
    const out = createMemoryWriter();
    await run(createConsoleReporter({ writer: out }), [started('dismantle'), planned(set), finished('host:file.a', 'delete', 'done'), finished('host:directory.d', 'delete', 'done'), ended('dismantle', { done: 2, durationMs: 138_000 })]);
    assert.equal(
      out.text,
      [
        'The following resources will be removed:',
        '  - host:file.a',
        '  - host:directory.d',
        '',
        '  - Removed host:file.a (12ms)',
        '  - Removed host:directory.d (12ms)',
        '',
        'Dismantle complete (duration: 2m18s)',
        '',
      ].join('\n'),
    );
  });

  it('redacts secrets in output lines and errors', async () => {
    const redactor = new Redactor();
    redactor.add('hunter2');
    const out = createMemoryWriter();
    await run(createConsoleReporter({ writer: out, redactor }), [
      started('commit'),
      output('host:command.x', 'login with hunter2'),
      finished('host:command.x', 'create', 'failed', { error: { code: 'RS_INTERNAL_E0001', message: 'Bad password "hunter2"' } }),
      ended('commit', { failed: 1 }),
    ]);
    assert.ok(!out.text.includes('hunter2'));
    assert.ok(out.text.includes('login with (secret)'));
    assert.ok(out.text.includes('Bad password "(secret)"'));
  });
});

describe('createConsoleReporter() with graph', () => {
  it('draws the DAG with planned markers, then with results', async () => {
    const out = createMemoryWriter();
    await run(createConsoleReporter({ writer: out, graph: true }), [
      started('commit'),
      planned(sampleChangeSet()),
      finished('host:file.conf', 'update', 'done'),
      finished('host:file.site', 'create', 'failed', { error: FAILED_ERROR }),
      ended('commit', { done: 1, failed: 1 }),
    ]);
    assert.ok(out.text.includes('| [~] conf  |'));
    assert.ok(out.text.includes('| [+] site  |'));
    assert.ok(out.text.includes('| [✓] conf  |'));
    assert.ok(out.text.includes('| [✗] site  |'));
    assert.ok(out.text.includes('| [-] old   |'));
  });
});

describe('createConsoleReporter() on a TTY', () => {
  it('rewrites one progress line in place and clears it before permanent lines', async () => {
    const out = createMemoryWriter({ isTTY: true, color: false, columns: 60 });
    await run(createConsoleReporter({ writer: out }), [
      started('commit'),
      planned(sampleChangeSet()),
      nodeStarted('host:file.motd', 'update'),
      nodeStarted('host:file.conf', 'update'),
      finished('host:file.motd', 'update', 'done'),
      ended('commit', { done: 1 }),
    ]);
    assert.equal(
      out.text,
      [
        'Committing infrastructure changes...\n\n',
        '\r\u001b[2K… 0/4 · host:file.motd',
        '\r\u001b[2K… 0/4 · host:file.motd, host:file.conf',
        '\r\u001b[2K  ~ Updated host:file.motd (12ms)\n',
        '\r\u001b[2K… 1/4 · host:file.conf',
        '\r\u001b[2K\nCommit complete (duration: 1.2s)\n',
      ].join(''),
    );
  });

  it('colours result lines when the writer allows colour', async () => {
    const out = createMemoryWriter({ isTTY: true, color: true });
    await run(createConsoleReporter({ writer: out }), [started('commit'), finished('host:file.a', 'create', 'done'), ended('commit', { done: 1 })]);
    assert.ok(out.text.includes('  \u001b[32m+ Created\u001b[39m host:file.a (12ms)\n'));
    assert.ok(out.text.includes('\u001b[32mCommit complete (duration: 1.2s)\u001b[39m'));
  });
});

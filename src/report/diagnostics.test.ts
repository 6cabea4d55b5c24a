import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, RunestoneAggregateError, RunestoneError } from '../core/index.ts';
import { formatDiagnostics, renderCodeFrame } from './diagnostics.ts';
import { createStyle } from './style.ts';

// The registry is still empty for user areas; tests use code-shaped literals.
const CODE = 'RS_CONFIG_E0004';
const SOURCE = ['project: demo', 'resources:', '  - kinds: host:file', '    name: motd', ''].join('\n');
const readSource = (file: string): string | undefined => (file === 'runestone.yaml' ? SOURCE : undefined);

describe('formatDiagnostics()', () => {
  it('prints file:line:col, the code frame with a caret under the span, and the hint', () => {
    const error = new ConfigError(CODE, 'Unknown key "kinds"', { location: { file: 'runestone.yaml', line: 3, column: 5, endLine: 3, endColumn: 10 }, hint: 'Did you mean "kind"?' });
    assert.equal(
      formatDiagnostics(error, { readSource }),
      [
        'runestone.yaml:3:5: error RS_CONFIG_E0004: Unknown key "kinds"',
        '  2 | resources:',
        '> 3 |   - kinds: host:file',
        '    |     ^^^^^',
        '  4 |     name: motd',
        'hint: Did you mean "kind"?',
        '',
      ].join('\n'),
    );
  });

  it('prints the include chain and skips the frame when the source cannot be read', () => {
    const error = new ConfigError(CODE, 'Expected a string, found a number', { location: { file: 'web.yaml', line: 2, column: 3, chain: ['runestone.yaml:4:3'] } });
    assert.equal(formatDiagnostics(error, { readSource }), 'web.yaml:2:3: error RS_CONFIG_E0004: Expected a string, found a number\n  include chain: runestone.yaml:4:3 -> web.yaml:2:3\n');
  });

  it('prints every error of an aggregate and counts them', () => {
    const a = new ConfigError(CODE, 'First problem', { location: { file: 'a.yaml', line: 1, column: 1 } });
    const b = new ConfigError(CODE, 'Second problem');
    assert.equal(
      formatDiagnostics(new RunestoneAggregateError([a, b])),
      'a.yaml:1:1: error RS_CONFIG_E0004: First problem\n\nerror RS_CONFIG_E0004: Second problem\n\nFound 2 errors\n',
    );
  });

  it('calls unexpected errors internal, asks for a bug report, and shows the stack only with debug', () => {
    const error = new TypeError('Cannot read properties of undefined');
    const plain = formatDiagnostics(error);
    assert.equal(plain, 'internal error RS_INTERNAL_E0001: Cannot read properties of undefined\nhint: This is a bug in Runestone: rerun with --debug and report it with the output\n');
    const debug = formatDiagnostics(new RunestoneError('RS_INTERNAL_E0001', 'Scheduler lost a node', { source: 'internal', cause: error }), { debug: true });
    assert.match(debug, /^internal error RS_INTERNAL_E0001: Scheduler lost a node\nhint: This is a bug/);
    assert.match(debug, /\n {4}at /);
    assert.match(debug, /\ncause: Cannot read properties of undefined\n/);
  });

  it('paints the severity and caret only with colour on', () => {
    const error = new ConfigError(CODE, 'Bad', { location: { file: 'runestone.yaml', line: 1, column: 1 } });
    const coloured = formatDiagnostics(error, { readSource, style: createStyle({ color: true }) });
    assert.ok(coloured.includes('\u001b[31m\u001b[1merror\u001b[22m\u001b[39m'));
    assert.ok(!formatDiagnostics(error, { readSource }).includes('\u001b'));
  });
});

describe('renderCodeFrame()', () => {
  it('underlines a span across lines and keeps tabs in the caret line', () => {
    const source = 'a: 1\nb:\n\tc: [1,\n\t  2]\nd: 4';
    assert.deepEqual(renderCodeFrame(source, { file: 'f', line: 3, column: 5, endLine: 4, endColumn: 6 }), [
      '  2 | b:',
      '> 3 | \tc: [1,',
      '    | \t   ^^^',
      '> 4 | \t  2]',
      '    | \t  ^^',
      '  5 | d: 4',
    ]);
  });

  it('returns nothing for a line outside the file', () => {
    assert.deepEqual(renderCodeFrame('a', { file: 'f', line: 9, column: 1 }), []);
  });
});

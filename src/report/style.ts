import { assertNever } from '../core/index.ts';
import type { ChangeKind } from '../engine/changes.ts';

/** The roles text can be painted in; each maps to one colour. */
export type StyleRole = 'create' | 'update' | 'replace' | 'delete' | 'failed' | 'drift' | 'success' | 'dim' | 'bold' | 'hint';

/** Paints text by role. With colour off every method returns its input unchanged. */
export interface Style {
  readonly color: boolean;
  paint(role: StyleRole, text: string): string;
  /** Paints text in the colour of a change kind (`no-op` stays plain). */
  change(kind: ChangeKind, text: string): string;
}

const ANSI: Readonly<Record<StyleRole, readonly [open: string, close: string]>> = {
  create: ['\u001b[32m', '\u001b[39m'],
  update: ['\u001b[33m', '\u001b[39m'],
  replace: ['\u001b[35m', '\u001b[39m'],
  delete: ['\u001b[31m', '\u001b[39m'],
  failed: ['\u001b[31m', '\u001b[39m'],
  drift: ['\u001b[34m', '\u001b[39m'],
  success: ['\u001b[32m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
  hint: ['\u001b[36m', '\u001b[39m'],
};

/** The symbol of each change kind, as in the Option A summary (`±` is replace). */
export const CHANGE_SYMBOLS: Readonly<Record<ChangeKind, string>> = {
  create: '+',
  update: '~',
  replace: '±',
  delete: '-',
  'no-op': ' ',
};

/**
 * Creates a style. Colour is on only when the caller says so: the CLI passes
 * `writer.color`, which it sets for a TTY without `NO_COLOR`.
 *
 * Green is create, yellow update, magenta replace, red delete and failure, blue drift.
 */
export function createStyle(options: { readonly color: boolean }): Style {
  const { color } = options;
  const paint = (role: StyleRole, text: string): string => {
    if (!color || text === '') return text;
    const [open, close] = ANSI[role];
    return `${open}${text}${close}`;
  };
  return {
    color,
    paint,
    change(kind: ChangeKind, text: string): string {
      switch (kind) {
        case 'create':
        case 'update':
        case 'replace':
        case 'delete':
          return paint(kind, text);
        case 'no-op':
          return text;
        default:
          return assertNever(kind);
      }
    },
  };
}

/** A style that never colours. */
export const PLAIN_STYLE: Style = createStyle({ color: false });

/** Removes ANSI escape sequences, e.g. to measure or compare painted text. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

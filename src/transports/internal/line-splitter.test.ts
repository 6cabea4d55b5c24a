import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter, TailBuffer } from './line-splitter.ts';

describe('LineSplitter', () => {
  const cases: readonly { readonly name: string; readonly chunks: readonly string[]; readonly lines: readonly string[] }[] = [
    { name: 'splits complete lines', chunks: ['a\nb\n'], lines: ['a', 'b'] },
    { name: 'joins a line cut across chunks', chunks: ['he', 'llo\nwor', 'ld'], lines: ['hello', 'world'] },
    { name: 'treats CRLF as one ending', chunks: ['a\r\n', 'b\r', '\n'], lines: ['a', 'b'] },
    { name: 'keeps empty lines', chunks: ['\n\nx'], lines: ['', '', 'x'] },
  ];
  for (const { name, chunks, lines } of cases) {
    it(name, () => {
      const seen: string[] = [];
      const splitter = new LineSplitter((line) => seen.push(line));
      for (const chunk of chunks) splitter.push(new TextEncoder().encode(chunk));
      splitter.flush();
      assert.deepEqual(seen, lines);
    });
  }

  it('decodes a UTF-8 character split between chunks', () => {
    const bytes = new TextEncoder().encode('é\n');
    const seen: string[] = [];
    const splitter = new LineSplitter((line) => seen.push(line));
    splitter.push(bytes.slice(0, 1));
    splitter.push(bytes.slice(1));
    assert.deepEqual(seen, ['é']);
  });
});

describe('TailBuffer', () => {
  it('keeps only the last characters', () => {
    const tail = new TailBuffer(10);
    for (let i = 0; i < 100; i += 1) tail.appendLine(String(i));
    assert.equal(tail.toString(), '\n97\n98\n99\n'.slice(-10));
  });
});

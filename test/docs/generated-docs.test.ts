import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderCliReference, renderErrorCodes } from '../../scripts/gen-docs.ts';

const read = (name: string): string => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

test('docs/cli.md matches the verb and option tables (run npm run docs to update)', () => {
  assert.equal(read('cli.md'), renderCliReference());
});

test('docs/error-codes.md matches the code registry (run npm run docs to update)', () => {
  assert.equal(read('error-codes.md'), renderErrorCodes());
});

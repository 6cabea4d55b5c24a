import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderSchemaFiles } from '../../scripts/write-schemas.ts';

test('schemas/ holds the current stack and module schemas (run npm run schemas to update)', () => {
  for (const [name, text] of Object.entries(renderSchemaFiles())) {
    assert.equal(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8'), text, `schemas/${name} is stale`);
  }
});

// docs/providers/aws.md must tell the truth about the code: one section per aws kind whose
// property table lists exactly the schema's properties, with "required" or the schema
// default, "yes" under replaces exactly for forceReplace fields, and the kind's attributes;
// the provider settings table lists the config schema's keys; every RS_AWS code is explained.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { AWS_CODES } from '../../src/core/codes/aws.ts';
import { AWS_CONFIG_SCHEMA, AWS_PROVIDER_TYPE } from '../../src/providers/aws/index.ts';

const DOC = readFileSync(new URL('../../docs/providers/aws.md', import.meta.url), 'utf8');

/** The rows of the first Markdown table in `text`, as cells (`\|` kept inside a cell). */
function tableRows(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| '));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
  }
  return rows;
}

/** The text of the `### \`kind\`` section, up to the next heading of level 2 or 3. */
function section(kind: string): string {
  const heading = `### \`${kind}\``;
  const start = DOC.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `docs/providers/aws.md has no section "${heading}"`);
  const rest = DOC.slice(start + heading.length + 2);
  const end = rest.search(/\n#{2,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
}

describe('docs/providers/aws.md', () => {
  for (const kind of AWS_PROVIDER_TYPE.kinds) {
    test(`${kind.kind}: every property with its default and replacement, and the attributes`, () => {
      const text = section(kind.kind);
      const schema = kind.schema as { properties: Record<string, { default?: unknown }>; required?: string[] };
      const rows = tableRows(text);
      const documented = rows.map((cells) => /^`([a-z_]+)`$/.exec(cells[0] ?? '')?.[1] ?? cells[0]);
      assert.deepEqual(documented, Object.keys(schema.properties), 'the table lists the schema properties in schema order');
      for (const [index, name] of Object.keys(schema.properties).entries()) {
        const [, , defaultCell = '', replaces = ''] = rows[index] ?? [];
        const property = schema.properties[name] ?? {};
        if (schema.required?.includes(name) === true) assert.equal(defaultCell, 'required', `${name} is required`);
        else if (property.default !== undefined) assert.ok(defaultCell.startsWith(`\`${shown(property.default)}\``), `${name}: default cell "${defaultCell}" should start with \`${shown(property.default)}\``);
        else assert.notEqual(defaultCell, 'required', `${name} is optional`);
        assert.equal(replaces, kind.forceReplace.includes(name) ? 'yes' : '', `${name}: replaces`);
      }
      const attributes = /\nAttributes: (.*)\.\n/.exec(text)?.[1];
      assert.deepEqual(attributes?.split(', ').map((a) => a.replaceAll('`', '')), [...kind.attributes]);
    });
  }

  test('the provider settings table lists the config schema', () => {
    const text = DOC.slice(DOC.indexOf('## Provider configuration'));
    assert.deepEqual(tableRows(text).map((cells) => cells[0]?.replaceAll('`', '')), Object.keys(AWS_CONFIG_SCHEMA.properties));
  });

  test('the errors table explains every RS_AWS code', () => {
    const text = DOC.slice(DOC.indexOf('## Errors'));
    const codes = tableRows(text).map((cells) => cells[0]?.replaceAll('`', ''));
    for (const code of Object.keys(AWS_CODES)) assert.ok(codes.includes(code), `${code} is not in the errors table`);
  });
});

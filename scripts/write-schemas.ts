// Writes the published JSON Schemas of the config documents into schemas/ (run: npm run schemas).
import { writeFileSync } from 'node:fs';
import { INVENTORY_SCHEMA, MODULE_SCHEMA, STEPS_SCHEMA } from '../src/config/index.ts';
import { stackSchemaWithKinds } from '../src/cli/schemas.ts';
import { createRegistry } from '../src/cli/stack-context.ts';
import { MANIFEST_ESTATE_SCHEMA, MANIFEST_RULES_FILE_SCHEMA, MANIFEST_SCHEMA, MANIFEST_VALIDATION_SCHEMA } from '../src/manifest/index.ts';
import { CLUSTERS_FILE_SCHEMA } from '../src/providers/postgres/index.ts';

/** The schema files this script owns, by file name. */
export function renderSchemaFiles(): Readonly<Record<string, string>> {
  return {
    'stack.schema.json': `${JSON.stringify(stackSchemaWithKinds(createRegistry().allKinds()), null, 2)}\n`,
    'module.schema.json': `${JSON.stringify(MODULE_SCHEMA, null, 2)}\n`,
    'infra-manifest.schema.json': `${JSON.stringify(MANIFEST_SCHEMA, null, 2)}\n`,
    'manifest-rules.schema.json': `${JSON.stringify(MANIFEST_RULES_FILE_SCHEMA, null, 2)}\n`,
    'manifest-validation.schema.json': `${JSON.stringify(MANIFEST_VALIDATION_SCHEMA, null, 2)}\n`,
    'manifest-estate.schema.json': `${JSON.stringify(MANIFEST_ESTATE_SCHEMA, null, 2)}\n`,
    'postgres-clusters.schema.json': `${JSON.stringify(CLUSTERS_FILE_SCHEMA, null, 2)}\n`,
    'steps.schema.json': `${JSON.stringify(STEPS_SCHEMA, null, 2)}\n`,
    'inventory.schema.json': `${JSON.stringify(INVENTORY_SCHEMA, null, 2)}\n`,
  };
}

if (import.meta.main) {
  for (const [name, text] of Object.entries(renderSchemaFiles())) writeFileSync(new URL(`../schemas/${name}`, import.meta.url), text);
}

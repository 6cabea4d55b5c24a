import type { CodeTable } from './code.ts';

/** Codes owned by the module area. Append only; never renumber. */
export const MODULE_CODES = {
  RS_MODULE_E0001: { title: 'Module not declared', hint: 'Declare it under modules: with a source' },
  RS_MODULE_E0002: { title: 'Module source not found' },
  RS_MODULE_E0003: { title: 'Invalid module inputs' },
  RS_MODULE_E0004: { title: 'Module not fetched', hint: 'Run `runestone bootstrap` to fetch git modules and write runestone.lock' },
  RS_MODULE_E0005: { title: 'Module fetch failed' },
  RS_MODULE_E0006: { title: 'Module content does not match runestone.lock', hint: 'Run `runestone bootstrap --upgrade` if the change is intended' },
  RS_MODULE_E0007: { title: 'Module include cycle' },
} as const satisfies CodeTable;

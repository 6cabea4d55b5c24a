import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

const SRC = path.resolve(import.meta.dirname, '../../src');
const PURE_FOLDERS = ['config', 'expr', 'plan', 'schema'];
const IO_MODULES = /^node:(fs|fs\/promises|net|child_process|http|https|dgram)$/;

interface SourceImport {
  readonly file: string;
  readonly folder: string;
  readonly specifier: string;
}

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : listSources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function readImports(): SourceImport[] {
  return listSources(SRC).flatMap((file) => {
    const folder = path.relative(SRC, file).split(path.sep)[0] ?? '';
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((match) => ({ file, folder, specifier: match[1] ?? '' }));
  });
}

function folderOf(imp: SourceImport): string | undefined {
  if (!imp.specifier.startsWith('.')) return undefined;
  const target = path.resolve(path.dirname(imp.file), imp.specifier);
  const relative = path.relative(SRC, target).split(path.sep);
  return relative.length > 1 ? relative[0] : undefined;
}

describe('source folders', () => {
  const imports = readImports();

  test('folder imports form no cycle (STYLE.md §1)', () => {
    const edges = new Map<string, Set<string>>();
    for (const imp of imports) {
      const to = folderOf(imp);
      if (to === undefined || to === imp.folder) continue;
      edges.set(imp.folder, new Set([...(edges.get(imp.folder) ?? []), to]));
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (folder: string, trail: string[]): void => {
      if (state.get(folder) === 'done') return;
      assert.notEqual(state.get(folder), 'visiting', `folder cycle: ${[...trail, folder].join(' → ')}`);
      state.set(folder, 'visiting');
      for (const next of edges.get(folder) ?? []) visit(next, [...trail, folder]);
      state.set(folder, 'done');
    };
    for (const folder of edges.keys()) visit(folder, []);
  });

  test('pure stages do no I/O (config, expr, plan, schema)', () => {
    const offenders = imports.filter((imp) => PURE_FOLDERS.includes(imp.folder) && IO_MODULES.test(imp.specifier));
    assert.deepEqual(
      offenders.map((imp) => `${path.relative(SRC, imp.file)} imports ${imp.specifier}`),
      [],
    );
  });
});

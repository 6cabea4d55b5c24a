import path from 'node:path';
import type { ConfigFiles } from '../../config/index.ts';

/** An in-memory `ConfigFiles` for tests of the pure config and plan stages. */
export function memoryFiles(files: Readonly<Record<string, string>>, root = '/stack'): ConfigFiles {
  const absolute = new Map(Object.entries(files).map(([name, text]) => [path.resolve(root, name), text]));
  return {
    readText: (file) => absolute.get(path.resolve(root, file)),
    isDirectory: (dir) => [...absolute.keys()].some((file) => file.startsWith(`${path.resolve(root, dir)}/`)),
    listYaml: (dir) =>
      [...absolute.keys()].filter((file) => path.dirname(file) === path.resolve(root, dir) && /\.ya?ml$/.test(file)).sort(),
    listTree: (dir) => {
      const base = `${path.resolve(root, dir)}/`;
      const out = new Map<string, boolean>();
      for (const file of absolute.keys()) {
        if (!file.startsWith(base)) continue;
        const parts = file.slice(base.length).split('/');
        parts.forEach((_, i) => out.set(parts.slice(0, i + 1).join('/'), i < parts.length - 1));
      }
      return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([entry, isDirectory]) => ({ path: entry, isDirectory }));
    },
  };
}

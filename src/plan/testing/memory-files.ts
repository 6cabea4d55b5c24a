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
  };
}

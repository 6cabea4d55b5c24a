import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { ConfigFiles } from '../config/index.ts';

/** `ConfigFiles` on the real file system. */
export const NODE_FILES: ConfigFiles = {
  readText: (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw error;
    }
  },
  isDirectory: (dir) => {
    try {
      return statSync(dir).isDirectory();
    } catch {
      return false;
    }
  },
  listYaml: (dir) =>
    readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => path.join(dir, name)),
  listTree: (dir) => {
    const out: { path: string; isDirectory: boolean }[] = [];
    const walk = (relative: string): void => {
      const entries: Dirent[] = readdirSync(path.join(dir, relative), { withFileTypes: true });
      for (const entry of entries) {
        const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
        out.push({ path: child, isDirectory: entry.isDirectory() });
        if (entry.isDirectory()) walk(child);
      }
    };
    walk('');
    // Lexicographic by the whole relative path (code units), independent of readdir order.
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  },
};

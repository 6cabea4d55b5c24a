import { readdirSync, readFileSync, statSync } from 'node:fs';
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
};

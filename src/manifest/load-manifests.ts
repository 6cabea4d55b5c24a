import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { RunestoneError } from '../core/errors.ts';
import type { Finding } from './finding.ts';
import { parseManifest, type Manifest } from './parse-manifest.ts';

const MANIFEST_FILE = /^\.infra(?:\.[^.]+)?\.yaml$/;
// Directories that never hold a project's own manifest and can be huge.
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.runestone']);

/** True for a manifest's file name: `.infra.yaml` or `.infra.<env>.yaml`. */
export function isManifestFile(file: string): boolean {
  return MANIFEST_FILE.test(path.basename(file));
}

/** What loading a set of paths produced: valid manifests and every finding on the way. */
export interface LoadedManifests {
  /** Every manifest file read, as displayed. */
  readonly files: readonly string[];
  readonly manifests: readonly Manifest[];
  readonly findings: readonly Finding[];
}

/**
 * Finds manifests under `paths` (a file is taken as is; a directory is searched
 * recursively for `.infra.yaml` and `.infra.<env>.yaml`, skipping node_modules and VCS
 * folders), parses and schema-checks each. Throws RS_MANIFEST_E0002 for a path that does
 * not exist or holds no manifest.
 */
export function loadManifests(paths: readonly string[], options: { readonly cwd: string }): LoadedManifests {
  const absolute = new Set<string>();
  for (const given of paths) {
    const full = path.resolve(options.cwd, given);
    const found = findManifestFiles(full);
    if (found === undefined) {
      throw new RunestoneError('RS_MANIFEST_E0002', `Cannot read manifests from "${given}": no such file or directory`);
    }
    if (found.length === 0) throw new RunestoneError('RS_MANIFEST_E0002', `No .infra.yaml or .infra.<env>.yaml found under "${given}"`);
    for (const file of found) absolute.add(file);
  }
  const files: string[] = [];
  const manifests: Manifest[] = [];
  const findings: Finding[] = [];
  for (const file of [...absolute].sort()) {
    const display = displayPath(file, options.cwd);
    files.push(display);
    const result = parseManifest(display, readFileSync(file, 'utf8'));
    if (result.manifest !== undefined) manifests.push(result.manifest);
    findings.push(...result.findings);
  }
  return { files, manifests, findings };
}

/** Manifest files at `target` (sorted), or `undefined` when it does not exist. */
function findManifestFiles(target: string): string[] | undefined {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    return undefined;
  }
  if (!stat.isDirectory()) return [target];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path.join(dir, entry.name));
      } else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) {
        out.push(path.join(dir, entry.name));
      }
    }
  };
  walk(target);
  return out.sort();
}

/** A path relative to `cwd` when it is inside it, else absolute. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

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

/** Options for {@link loadManifests}. */
export interface LoadManifestsOptions {
  readonly cwd: string;
  /**
   * How files under some of `paths` are shown instead of their local path: a git root's
   * cache folder (the key, as given in `paths`) is shown as its URL, files as `URL//path`.
   */
  readonly labels?: ReadonlyMap<string, string>;
}

/**
 * Finds manifests under `paths` (a file is taken as is; a directory is searched
 * recursively for `.infra.yaml` and `.infra.<env>.yaml`, skipping node_modules and VCS
 * folders), parses and schema-checks each. Throws RS_MANIFEST_E0002 for a path that does
 * not exist or holds no manifest.
 */
export function loadManifests(paths: readonly string[], options: LoadManifestsOptions): LoadedManifests {
  const absolute = new Set<string>();
  const labelled: [string, string][] = [];
  for (const given of paths) {
    const full = path.resolve(options.cwd, given);
    const label = options.labels?.get(given);
    if (label !== undefined) labelled.push([full, label]);
    const found = findManifestFiles(full);
    if (found === undefined) {
      throw new RunestoneError('RS_MANIFEST_E0002', `Cannot read manifests from "${label ?? given}": no such file or directory`);
    }
    if (found.length === 0) throw new RunestoneError('RS_MANIFEST_E0002', `No .infra.yaml or .infra.<env>.yaml found under "${label ?? given}"`);
    for (const file of found) absolute.add(file);
  }
  const display = (file: string): string => {
    const root = labelled.find(([dir]) => file.startsWith(`${dir}${path.sep}`));
    return root === undefined ? displayPath(file, options.cwd) : `${root[1]}//${path.relative(root[0], file).split(path.sep).join('/')}`;
  };
  const files: string[] = [];
  const manifests: Manifest[] = [];
  const findings: Finding[] = [];
  for (const file of [...absolute].sort()) {
    const shown = display(file);
    files.push(shown);
    const result = parseManifest(shown, readFileSync(file, 'utf8'));
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

import { homedir } from 'node:os';
import { defaultGitCacheRoot, isGitUrl, redactUrl, syncGitRoot } from '../manifest/index.ts';
import type { VerbContext } from './verb.ts';

/** Local folders for the roots: directories as given, git URLs synced into the cache. */
export function resolveRoots(ctx: VerbContext, given: readonly string[]): { readonly roots: readonly string[]; readonly labels: ReadonlyMap<string, string> } {
  const cacheRoot = defaultGitCacheRoot(ctx.env, ctx.env['HOME'] ?? homedir());
  const labels = new Map<string, string>();
  const roots = given.map((root) => {
    if (!isGitUrl(root)) return root;
    const dir = syncGitRoot(root, { cacheRoot, offline: ctx.options.offline, env: ctx.env });
    labels.set(dir, redactUrl(root));
    return dir;
  });
  return { roots, labels };
}

/** Where a git-sourced module lives: clone URL, subdirectory, tag. */
export interface GitModuleSource {
  readonly url: string;
  /** Path inside the repository, '' for its root. */
  readonly subdir: string;
}

/**
 * Parses a non-local module source. Accepted forms:
 * `github.com/org/repo/path/to/module` (Terraform-style shorthand), `git::URL//path`, and
 * `URL//path` where URL is `https://`, `ssh://`, `file://` or `git@host:org/repo`.
 */
export function parseGitSource(source: string): GitModuleSource | undefined {
  const text = source.startsWith('git::') ? source.slice('git::'.length) : source;
  const hosted = /^(github\.com|gitlab\.com|bitbucket\.org)\/([^/]+)\/([^/]+?)(?:\.git)?(?:\/(.*))?$/.exec(text);
  if (hosted !== null) {
    const [, host, owner, repo, rest] = hosted;
    return { url: `https://${host ?? ''}/${owner ?? ''}/${repo ?? ''}.git`, subdir: (rest ?? '').replace(/^\/+|\/+$/g, '') };
  }
  const scheme = /^([a-z+]+:\/\/|git@[^:]+:)/.exec(text);
  if (scheme === null) return undefined;
  const afterScheme = text.slice(scheme[0].length);
  const split = afterScheme.indexOf('//');
  if (split === -1) return { url: text, subdir: '' };
  return { url: `${scheme[0]}${afterScheme.slice(0, split)}`, subdir: afterScheme.slice(split + 2).replace(/^\/+|\/+$/g, '') };
}

/** How config stages read files; the CLI passes a node:fs implementation, tests may pass a map. */
export interface ConfigFiles {
  /** The file's text, or `undefined` when it does not exist. */
  readText(path: string): string | undefined;
  isDirectory(path: string): boolean;
  /** `*.yaml` and `*.yml` files directly in `dir`, sorted. */
  listYaml(dir: string): readonly string[];
  /**
   * Every file and directory under `dir` (not `dir` itself), as POSIX paths relative to it,
   * sorted by path; optional (steps' `with_filetree` needs it).
   */
  listTree?(dir: string): readonly { readonly path: string; readonly isDirectory: boolean }[];
}

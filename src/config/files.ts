/** How config stages read files; the CLI passes a node:fs implementation, tests may pass a map. */
export interface ConfigFiles {
  /** The file's text, or `undefined` when it does not exist. */
  readText(path: string): string | undefined;
  isDirectory(path: string): boolean;
  /** `*.yaml` and `*.yml` files directly in `dir`, sorted. */
  listYaml(dir: string): readonly string[];
}

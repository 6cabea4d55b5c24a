/** Every CLI option, with its value type. Verbs pick which ones they accept. */
export interface CliOptions {
  readonly file: readonly string[];
  readonly var: readonly string[];
  readonly varFile: readonly string[];
  readonly output: string | undefined;
  readonly out: string | undefined;
  readonly plan: string | undefined;
  readonly events: string | undefined;
  readonly target: readonly string[];
  readonly inventory: string | undefined;
  readonly on: readonly string[];
  readonly parallelism: string | undefined;
  readonly timeout: string | undefined;
  readonly yes: boolean;
  readonly detectChanges: boolean;
  readonly graph: boolean;
  readonly autoHeal: string | undefined;
  readonly watch: boolean;
  readonly interval: string | undefined;
  readonly format: string | undefined;
  readonly list: boolean;
  readonly upgrade: boolean;
  readonly mesh: string | undefined;
  readonly roots: readonly string[];
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  readonly check: boolean;
  readonly rules: readonly string[];
  readonly offline: boolean;
  readonly debug: boolean;
  readonly noColor: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

/** How one option is spelled and documented. */
export interface OptionSpec {
  readonly flag: string;
  readonly short?: string;
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly valueName?: string;
  readonly description: string;
}

/**
 * The option table the parser and help are built from. The mapped type forces every key
 * of `CliOptions` to have a spec, so an option cannot exist without a flag and docs.
 */
export const OPTION_SPECS: { readonly [K in keyof CliOptions]: OptionSpec } = {
  file: { flag: 'file', short: 'f', type: 'string', multiple: true, valueName: 'FILE|DIR', description: 'Config file or directory of *.yaml (repeatable; default runestone.yaml)' },
  var: { flag: 'var', type: 'string', multiple: true, valueName: 'NAME=VALUE', description: 'Set a variable (repeatable; wins over --var-file and RUNESTONE_VAR_NAME)' },
  varFile: { flag: 'var-file', type: 'string', multiple: true, valueName: 'FILE', description: 'YAML or JSON file of variable values (repeatable, later files win)' },
  output: { flag: 'output', short: 'o', type: 'string', valueName: 'text|json|markdown', description: 'Result format on stdout (default text; manifest reconcile also takes mermaid)' },
  out: { flag: 'out', type: 'string', valueName: 'FILE', description: 'Also save the preview as a plan file for `commit --plan FILE`' },
  plan: { flag: 'plan', type: 'string', valueName: 'FILE', description: 'Apply a plan saved by `preview --out`, refusing if live state moved since' },
  events: { flag: 'events', type: 'string', valueName: 'FILE', description: 'Write every run event as JSON Lines to FILE (- for stderr)' },
  target: { flag: 'target', type: 'string', multiple: true, valueName: 'ADDRESS', description: 'Limit the run to ADDRESS (kind.name, kind.name[0], module:name) and what it needs (repeatable)' },
  inventory: { flag: 'inventory', short: 'i', type: 'string', valueName: 'FILE', description: 'Inventory of SSH hosts for --on: inventory.yaml or a mesh-hosts.json (default inventory.yaml)' },
  on: { flag: 'on', type: 'string', multiple: true, valueName: 'HOSTS', description: 'Run host resources on these hosts: NAME, group:NAME, LABEL=VALUE or local, comma-separated (default local)' },
  parallelism: { flag: 'parallelism', type: 'string', valueName: 'N', description: 'Run at most N changes at once (default 10)' },
  timeout: { flag: 'timeout', type: 'string', valueName: 'DURATION', description: 'Per-resource timeout, retries included, e.g. 30s or 5m (default 30m)' },
  yes: { flag: 'yes', short: 'y', type: 'boolean', description: 'Do not ask for approval' },
  detectChanges: { flag: 'detect-changes', type: 'boolean', description: 'Exit 4 when changes or drift are pending' },
  graph: { flag: 'graph', type: 'boolean', description: 'Show the dependency graph with live status markers' },
  autoHeal: { flag: 'auto-heal', type: 'string', valueName: 'true|false', description: 'false: report drift only, change nothing (default true)' },
  watch: { flag: 'watch', type: 'boolean', description: 'Keep aligning every --interval until interrupted' },
  interval: { flag: 'interval', type: 'string', valueName: 'DURATION', description: 'Time between align passes with --watch (default 30s)' },
  format: { flag: 'format', type: 'string', valueName: 'text|mermaid|dot|json', description: 'Graph format (default text)' },
  list: { flag: 'list', type: 'boolean', description: 'List every kind instead of printing a schema' },
  upgrade: { flag: 'upgrade', type: 'boolean', description: 'Re-resolve module versions and rewrite runestone.lock' },
  mesh: { flag: 'mesh', type: 'string', valueName: 'FILE', description: 'The mesh hosts file (net-tools mesh-hosts.json): service.host must name one of its hosts' },
  roots: {
    flag: 'roots',
    type: 'string',
    multiple: true,
    valueName: 'DIR|GIT-URL',
    description: 'Directory, or git URL cloned shallowly into a cache, searched recursively for .infra.yaml and .infra.<env>.yaml (repeatable)',
  },
  tags: { flag: 'tags', type: 'string', multiple: true, valueName: 'TAGS', description: 'Steps documents: run only steps with one of these tags (comma-separated, repeatable)' },
  skipTags: { flag: 'skip-tags', type: 'string', multiple: true, valueName: 'TAGS', description: 'Steps documents: leave out steps with one of these tags (comma-separated, repeatable)' },
  check: { flag: 'check', type: 'boolean', description: 'Change nothing; exit 4 when the mesh hosts file would change' },
  rules: {
    flag: 'rules',
    type: 'string',
    multiple: true,
    valueName: 'FILE',
    description: 'Team rules for project manifests (repeatable; default .runestone/manifest-rules.yaml when it exists)',
  },
  offline: { flag: 'offline', type: 'boolean', description: 'Read git roots from the cache only; never fetch' },
  debug: { flag: 'debug', type: 'boolean', description: 'Show stack traces for errors' },
  noColor: { flag: 'no-color', type: 'boolean', description: 'Never use colour (NO_COLOR does the same)' },
  help: { flag: 'help', short: 'h', type: 'boolean', description: 'Show help' },
  version: { flag: 'version', short: 'V', type: 'boolean', description: 'Print the version' },
};

/** Options every verb accepts. */
export const COMMON_OPTIONS: readonly (keyof CliOptions)[] = ['debug', 'noColor', 'help'];

/** Options of the verbs that can run host resources on remote hosts. */
export const HOST_OPTIONS: readonly (keyof CliOptions)[] = ['inventory', 'on'];

/** Options of every verb that reads a stack. */
export const STACK_OPTIONS: readonly (keyof CliOptions)[] = ['file', 'var', 'varFile', 'rules', 'roots', 'offline', 'tags', 'skipTags'];

import type { JsonObject } from '../core/json.ts';

const EXPRESSION_OR_BOOL = {
  oneOf: [{ type: 'boolean' }, { type: 'string', minLength: 1 }],
  description: 'A CEL expression: `${...}`, or bare (the whole string is the expression), or true/false',
} as const;
const DURATION = { oneOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^[0-9]+(ms|s|m|h)$' }], description: 'Seconds, or a duration such as 30s, 5m, 1h' } as const;
const MODE = { type: 'string', pattern: '^[0-7]{3,4}$', description: 'Octal permission bits, e.g. "0644"' } as const;
const STRING_MAP = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } } as const;
const PATH = { type: 'string', minLength: 1 } as const;

/** The action keys of a step; a step has exactly one of them. */
export const STEP_ACTIONS = ['shell', 'command', 'file', 'template', 'copy', 'assert', 'download', 'unarchive', 'include', 'include_vars', 'vars'] as const;
/** One of {@link STEP_ACTIONS}. */
export type StepActionName = (typeof STEP_ACTIONS)[number];

const SHELL = {
  description: 'Run a shell script. A string is the script; the map form sets the interpreter and stdin',
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['cmd'],
      properties: {
        cmd: { type: 'string', minLength: 1, description: 'The script' },
        interpreter: { enum: ['sh', 'bash'], description: 'Shell that runs the script (default sh)' },
        stdin: { type: 'string', description: 'Text fed to the script on standard input' },
        env: STRING_MAP,
        cwd: PATH,
        timeout: DURATION,
      },
    },
  ],
} as const;

const COMMAND = {
  description: 'Run a program with arguments, no shell',
  type: 'object',
  additionalProperties: false,
  required: ['argv'],
  properties: {
    argv: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'Program and arguments' },
    env: STRING_MAP,
    cwd: PATH,
    timeout: DURATION,
  },
} as const;

const FILE = {
  description: 'Ensure a file, directory, link, empty file, absence or permissions',
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: PATH,
    state: { enum: ['file', 'directory', 'touch', 'absent', 'link', 'perms'], description: 'What to ensure (default file)' },
    content: { type: 'string', description: 'Content of a state: file' },
    src: { type: 'string', minLength: 1, description: 'state: file: a file to copy the content of; state: link: what the link points at' },
    mode: MODE,
    force: { type: 'boolean', description: 'state: link: replace a regular file or empty directory at path' },
  },
} as const;

const TEMPLATE = {
  description: 'Render a nunjucks (Jinja-like) template to a file',
  type: 'object',
  additionalProperties: false,
  required: ['dest'],
  properties: {
    src: { type: 'string', minLength: 1, description: 'Template file, relative to this steps file' },
    content: { type: 'string', description: 'Inline template text (instead of src)' },
    dest: PATH,
    vars: { type: 'object', description: 'Extra variables for the template (the step scope is passed too)' },
    mode: MODE,
    newline: { enum: ['lf', 'crlf'] },
  },
} as const;

const COPY = {
  description: 'Copy a local file to the host: compared by SHA-256, written atomically (temp + rename)',
  type: 'object',
  additionalProperties: false,
  required: ['src', 'dest'],
  properties: {
    src: { type: 'string', minLength: 1, description: 'The local file, relative to this steps file' },
    dest: PATH,
    mode: MODE,
    backup: { type: 'boolean', description: 'Keep the file being replaced as dest.<UTC timestamp>~' },
  },
} as const;

const ASSERT = {
  description: 'Check a command, a file or an HTTP endpoint; never changes anything, fails with the exact mismatch',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['command'],
      properties: {
        command: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string' } }], description: 'A shell script, or an argv list (no shell)' },
        rc: { type: 'integer', description: 'Expected exit code (default 0)' },
        stdout_contains: { type: 'string' },
        stdout_regex: { type: 'string', minLength: 1, description: 'JavaScript regular expression, multiline' },
        env: STRING_MAP,
        cwd: PATH,
        timeout: DURATION,
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['file'],
      properties: {
        file: {
          type: 'object',
          additionalProperties: false,
          required: ['path'],
          properties: {
            path: PATH,
            exists: { type: 'boolean', description: 'Default true' },
            mode: MODE,
            owner: { type: 'string', minLength: 1 },
            group: { type: 'string', minLength: 1 },
            sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
          },
        },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['http'],
      properties: {
        http: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', pattern: '^https?://' },
            method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] },
            headers: STRING_MAP,
            body: { type: 'string' },
            status: { type: 'integer', minimum: 100, maximum: 599, description: 'Expected status (default 200)' },
            jsonpath: { type: 'string', minLength: 1, description: 'a.b[0].c (a leading $. is allowed)' },
            equals: { description: 'The value at jsonpath must equal this' },
            timeout: DURATION,
          },
        },
      },
    },
  ],
} as const;

const DOWNLOAD = {
  description: 'Download a URL to a file: sha256 verified, temp + rename, skipped when the file already has the checksum',
  type: 'object',
  additionalProperties: false,
  required: ['url', 'dest'],
  properties: {
    url: { type: 'string', pattern: '^https?://' },
    dest: PATH,
    sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: 'Expected SHA-256; without it an existing dest is never fetched again' },
    mode: MODE,
    headers: STRING_MAP,
    timeout: { ...DURATION, description: 'For one attempt (default 60s)' },
    retries: { type: 'integer', minimum: 0, maximum: 20, description: 'More attempts after a network error, timeout or 5xx/429 (default 2)' },
    retry_delay: { ...DURATION, description: 'Between attempts (default 1s)' },
  },
} as const;

const UNARCHIVE = {
  description: 'Extract a .tar, .tar.gz or .tgz that is on the host into a directory; entries escaping it are refused',
  type: 'object',
  additionalProperties: false,
  required: ['src', 'dest'],
  properties: {
    src: { type: 'string', pattern: '\\.(tar|tar\\.gz|tgz)$', description: 'The archive, on the host (e.g. the dest of a download step)' },
    dest: PATH,
    strip_components: { type: 'integer', minimum: 0 },
    creates: { type: 'string', minLength: 1, description: 'Done when this path exists (default: when every entry exists under dest)' },
  },
} as const;

/** JSON Schema of one step: common fields plus exactly one action key. */
export const STEP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  description: 'One step: exactly one action key plus common fields',
  oneOf: STEP_ACTIONS.map((action) => ({ required: [action], not: { anyOf: STEP_ACTIONS.filter((a) => a !== action).map((a) => ({ required: [a] })) } })),
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'Stable id of the step (default: its name, lower-cased, non-alphanumerics as -)' },
    name: { type: 'string', minLength: 1, description: 'What the step does, shown in previews' },
    tags: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' }, description: 'Tags for --tags / --skip-tags' },
    when: EXPRESSION_OR_BOOL,
    become: { type: 'boolean', description: 'Run as another user (not supported yet: a plan error when true)' },
    become_user: { type: 'string', minLength: 1, description: 'User for become (not supported yet)' },
    env: STRING_MAP,
    cwd: PATH,
    register: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'shell/command: name later whens read the result by (rc, stdout, stderr, changed, failed)' },
    timeout: DURATION,
    retries: { type: 'integer', minimum: 0, maximum: 100, description: 'Carry a failed step out again up to N more times' },
    retry_delay: { ...DURATION, description: 'Wait between retries (default 1s); needs retries' },
    changed_when: EXPRESSION_OR_BOOL,
    failed_when: EXPRESSION_OR_BOOL,
    creates: { type: 'string', minLength: 1, description: 'shell/command: the command is done when this path exists' },
    unless: { type: 'string', minLength: 1, description: 'shell/command: the command is done when this shell command exits 0' },
    with_items: { oneOf: [{ type: 'array' }, { type: 'string', minLength: 1 }], description: 'A list (or an expression giving one): one step per item' },
    with_filetree: { type: 'string', minLength: 1, description: 'A directory: one step per file and directory under it, in lexicographic order' },
    shell: SHELL,
    command: COMMAND,
    file: FILE,
    template: TEMPLATE,
    copy: COPY,
    assert: ASSERT,
    download: DOWNLOAD,
    unarchive: UNARCHIVE,
    include: { type: 'string', minLength: 1, description: 'Another steps file, relative to this one; its steps run here' },
    include_vars: { type: 'string', minLength: 1, description: 'A YAML map of variables, relative to this file; later steps see them' },
    vars: { type: 'object', description: 'Variables for the steps after this one' },
  },
} as const satisfies JsonObject;

/** JSON Schema of a steps document (published as schemas/steps.schema.json). */
export const STEPS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://runestone.dev/schemas/steps.schema.json',
  title: 'Runestone steps document',
  description: 'Ordered host-configuration steps: a map with vars and steps, or a bare list of steps',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['steps'],
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: 'Names the stack (default: the file name without extension)' },
        version: { type: 'string', description: 'Document version (informational)' },
        vars: { type: 'object', description: 'Variables every step sees' },
        steps: { type: 'array', items: STEP_SCHEMA },
      },
    },
    { type: 'array', items: STEP_SCHEMA },
  ],
} as const satisfies JsonObject;

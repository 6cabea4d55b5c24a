import { isDeepStrictEqual } from 'node:util';
import { ProviderError } from '../../../core/index.ts';
import type { JsonObject, JsonValue } from '../../../core/index.ts';
import type { LiveState, ProviderContext } from '../../contract.ts';
import type { CommandSpec, Transport } from '../../../transports/index.ts';
import type { HostKindHandler } from '../host-kind.ts';
import { formatMode, normalizeMode, MODE_PATTERN } from '../internal/mode.ts';
import { resolveHostPath } from '../internal/paths.ts';
import { Props } from '../internal/props.ts';

const KIND = 'host:assert';
const MAX_SHOWN = 200;

/** JSON Schema of `host:assert` properties. */
export const ASSERT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A read-only check of a command, a file or an HTTP endpoint. Never changes anything; a failure names the exact mismatch.',
  type: 'object',
  additionalProperties: false,
  properties: {
    command: {
      type: 'object',
      additionalProperties: false,
      description: 'Run a command on the host and check its exit code and output.',
      properties: {
        run: { type: 'string', minLength: 1, description: 'A shell script (/bin/sh -c). Set this or "argv".' },
        argv: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'A program and its arguments, no shell. Set this or "run".' },
        rc: { type: 'integer', default: 0, description: 'The expected exit code.' },
        stdout_contains: { type: 'string', description: 'Text stdout must contain.' },
        stdout_regex: { type: 'string', minLength: 1, description: 'A regular expression (JavaScript syntax) stdout must match.' },
        cwd: { type: 'string', minLength: 1, description: 'Working directory; defaults to the config directory.' },
        env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Environment variables added to the inherited environment.' },
        timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds before the command is killed.' },
      },
      oneOf: [{ required: ['run'] }, { required: ['argv'] }],
    },
    file: {
      type: 'object',
      additionalProperties: false,
      required: ['path'],
      description: 'Check a path on the host.',
      properties: {
        path: { type: 'string', minLength: 1, description: 'The path; relative paths resolve from the config directory.' },
        exists: { type: 'boolean', default: true, description: 'Whether the path must exist (false: must not).' },
        mode: { type: 'string', pattern: MODE_PATTERN, description: 'Expected permission bits in octal.' },
        owner: { type: 'string', minLength: 1, description: 'Expected owning user name.' },
        group: { type: 'string', minLength: 1, description: 'Expected owning group name.' },
        sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: 'Expected SHA-256 of the content (a regular file).' },
      },
    },
    http: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      description: 'Request a URL from the machine running Runestone and check the answer.',
      properties: {
        url: { type: 'string', pattern: '^https?://', description: 'The URL.' },
        method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'], default: 'GET' },
        headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers.' },
        body: { type: 'string', description: 'Request body.' },
        status: { type: 'integer', minimum: 100, maximum: 599, default: 200, description: 'Expected status code.' },
        jsonpath: { type: 'string', minLength: 1, description: 'A path into the JSON body: `a.b[0].c` (a leading `$.` is allowed).' },
        equals: { description: 'The value at jsonpath must equal this (any JSON value); needs jsonpath.' },
        timeout: { type: 'number', exclusiveMinimum: 0, default: 10, description: 'Seconds before the request is abandoned.' },
      },
    },
  },
  oneOf: [{ required: ['command'] }, { required: ['file'] }, { required: ['http'] }],
} as const;

/**
 * `host:assert`: a check that never changes anything. It is evaluated when the plan is read
 * (so preview runs it): when it holds the step is a no-op. When it does not hold yet, the
 * step shows as an update whose diff is the exact mismatch, because earlier steps of the
 * same commit may still make it hold; commit checks again and fails with the mismatch
 * (`RS_HOST_E0038`) if it still does not.
 */
export function createAssertKind(transport: Transport): HostKindHandler {
  const check = async (properties: JsonObject, ctx: ProviderContext): Promise<string | undefined> => {
    const props = new Props(properties, KIND);
    if (props.has('command')) return checkCommand(transport, new Props(props.objectMap('command'), `${KIND} command`), ctx);
    if (props.has('file')) return checkFile(transport, new Props(props.objectMap('file'), `${KIND} file`), ctx.baseDir);
    if (props.has('http')) return checkHttp(new Props(props.objectMap('http'), `${KIND} http`), ctx.signal);
    throw new ProviderError('RS_HOST_E0011', `Invalid ${KIND}: expected one of "command", "file", "http"`);
  };
  const live = (mismatch: string | undefined): LiveState => ({
    identity: KIND,
    properties: { holds: mismatch === undefined, ...(mismatch === undefined ? {} : { mismatch }) },
    attributes: { holds: mismatch === undefined },
  });
  return {
    kind: KIND,
    description: 'A read-only check of a command, file or HTTP endpoint; never changes anything',
    schema: ASSERT_SCHEMA,
    forceReplace: [],
    attributes: ['holds'],

    async read(desired, ctx) {
      return live(await check(desired.properties, ctx));
    },

    // An assertion is not a thing on the host: nothing is left behind to find or remove.
    reread: () => Promise.resolve(undefined),

    diff(_desired, state) {
      const mismatch = state.properties['mismatch'];
      if (typeof mismatch !== 'string') return [];
      return [{ path: '/holds', before: false, after: true, forcesReplace: false, description: `does not hold yet: ${mismatch} (checked again during commit)` }];
    },

    plannedAttributes: () => ({ holds: true }),

    async create(desired, ctx) {
      return settle(await check(desired.properties, ctx));
    },

    async update(desired, _live, _diff, ctx) {
      return settle(await check(desired.properties, ctx));
    },

    delete: () => Promise.resolve(),
  };

  function settle(mismatch: string | undefined): LiveState {
    if (mismatch !== undefined) {
      throw new ProviderError('RS_HOST_E0038', `Assertion failed: ${mismatch}`, { hint: 'The check describes what was expected and what was found; fix the host or the assertion' });
    }
    return live(undefined);
  }
}

async function checkCommand(transport: Transport, props: Props, ctx: ProviderContext): Promise<string | undefined> {
  const spec: CommandSpec = props.exactlyOne('run', 'argv') === 'run' ? { kind: 'shell', script: props.string('run') } : argvOf(props.optionalStringList('argv') ?? []);
  const cwd = props.optionalString('cwd');
  const timeout = props.optionalNumber('timeout');
  const result = await transport.exec(spec, {
    cwd: cwd === undefined ? ctx.baseDir : resolveHostPath(cwd, ctx.baseDir),
    env: props.stringMap('env'),
    signal: ctx.signal,
    ...(timeout === undefined ? {} : { timeoutMs: Math.round(timeout * 1000) }),
  });
  const what = spec.kind === 'shell' ? spec.script : spec.argv.join(' ');
  const rc = props.optionalNumber('rc') ?? 0;
  if (result.exitCode !== rc) {
    const found = result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `rc ${result.exitCode}`;
    const stderr = result.stderr.trim();
    return `command "${shorten(what)}": expected rc ${rc}, found ${found}${stderr === '' ? '' : ` (stderr: ${shorten(stderr)})`}`;
  }
  const contains = props.optionalString('stdout_contains');
  if (contains !== undefined && !result.stdout.includes(contains)) {
    return `command "${shorten(what)}": expected stdout to contain ${JSON.stringify(contains)}, found ${JSON.stringify(shorten(result.stdout))}`;
  }
  const regex = props.optionalString('stdout_regex');
  if (regex !== undefined && !compile(regex).test(result.stdout)) {
    return `command "${shorten(what)}": expected stdout to match /${regex}/, found ${JSON.stringify(shorten(result.stdout))}`;
  }
  return undefined;
}

async function checkFile(transport: Transport, props: Props, baseDir: string): Promise<string | undefined> {
  const path = resolveHostPath(props.string('path'), baseDir);
  const stat = await transport.stat(path);
  const exists = props.boolean('exists', true);
  if (!exists) return stat === undefined ? undefined : `"${path}": expected not to exist, found a ${stat.type}`;
  if (stat === undefined) return `"${path}": expected to exist, found nothing`;
  const mismatches: string[] = [];
  const mode = props.optionalString('mode');
  if (mode !== undefined && normalizeMode(mode) !== formatMode(stat.mode)) mismatches.push(`expected mode ${normalizeMode(mode)}, found ${formatMode(stat.mode)}`);
  const owner = props.optionalString('owner');
  const group = props.optionalString('group');
  if (owner !== undefined || group !== undefined) {
    const found = await ownerOf(transport, path);
    if (owner !== undefined && found.owner !== owner) mismatches.push(`expected owner ${owner}, found ${found.owner}`);
    if (group !== undefined && found.group !== group) mismatches.push(`expected group ${group}, found ${found.group}`);
  }
  const sha256 = props.optionalString('sha256')?.toLowerCase();
  if (sha256 !== undefined) {
    if (stat.type !== 'file') mismatches.push(`expected a regular file with sha256 ${sha256}, found a ${stat.type}`);
    else {
      const found = await transport.hashFile(path);
      if (found !== sha256) mismatches.push(`expected sha256 ${sha256}, found ${found ?? 'nothing'}`);
    }
  }
  return mismatches.length === 0 ? undefined : `"${path}": ${mismatches.join('; ')}`;
}

/** User and group names of a path, by `stat` on the host (GNU `-c`, else BSD `-f`). */
async function ownerOf(transport: Transport, path: string): Promise<{ owner: string; group: string }> {
  const quoted = shellQuote(path);
  const result = await transport.exec({ kind: 'shell', script: `stat -c '%U %G' -- ${quoted} 2>/dev/null || stat -f '%Su %Sg' -- ${quoted}` }, {});
  const [owner, group] = result.stdout.trim().split(/\s+/);
  if (result.exitCode !== 0 || owner === undefined || group === undefined) {
    throw new ProviderError('RS_HOST_E0001', `Cannot read the owner of "${path}": ${result.stderr.trim()}`);
  }
  return { owner, group };
}

async function checkHttp(props: Props, signal: AbortSignal): Promise<string | undefined> {
  const url = props.string('url');
  const method = props.optionalString('method') ?? 'GET';
  const timeout = props.optionalNumber('timeout') ?? 10;
  const body = props.optionalString('body');
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: props.stringMap('headers'),
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(Math.round(timeout * 1000))]),
    });
  } catch (error) {
    const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return `${method} ${url}: expected status ${props.optionalNumber('status') ?? 200}, found no answer (${detail})`;
  }
  const text = await response.text();
  const status = props.optionalNumber('status') ?? 200;
  if (response.status !== status) return `${method} ${url}: expected status ${status}, found ${response.status}`;
  const jsonpath = props.optionalString('jsonpath');
  if (jsonpath === undefined) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return `${method} ${url}: expected a JSON body for ${jsonpath}, found ${JSON.stringify(shorten(text))}`;
  }
  const found = atPath(document, jsonpath);
  if (found.missing !== undefined) return `${method} ${url}: expected ${jsonpath} to exist, found no ${found.missing}`;
  const expected = props.value('equals');
  if (expected !== undefined && !isDeepStrictEqual(found.value, expected)) {
    return `${method} ${url}: expected ${jsonpath} to equal ${JSON.stringify(expected)}, found ${JSON.stringify(found.value)}`;
  }
  return undefined;
}

/** The value at `a.b[0].c` (optionally `$.`-prefixed), or the first segment that is missing. */
export function atPath(document: unknown, path: string): { value?: JsonValue; missing?: string } {
  const segments = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let value: unknown = document;
  let walked = '$';
  for (const raw of segments) {
    const index = /^\[(\d+)\]$/.exec(raw)?.[1];
    walked += index === undefined ? `.${raw}` : raw;
    if (index !== undefined && Array.isArray(value) && Number(index) < value.length) value = value[Number(index)];
    else if (index === undefined && value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, raw)) value = (value as Record<string, unknown>)[raw];
    else return { missing: walked };
  }
  return { value: value as JsonValue };
}

function compile(regex: string): RegExp {
  try {
    return new RegExp(regex, 'm');
  } catch (error) {
    throw new ProviderError('RS_HOST_E0011', `Invalid ${KIND} property "stdout_regex": ${error instanceof Error ? error.message : String(error)}`);
  }
}

function argvOf(argv: readonly string[]): CommandSpec {
  const [program, ...args] = argv;
  if (program === undefined) throw new ProviderError('RS_HOST_E0011', `Invalid ${KIND} property "argv": expected at least one entry, found none`);
  return { kind: 'argv', argv: [program, ...args] };
}

/** POSIX single-quoting. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function shorten(text: string): string {
  const trimmed = text.replace(/\n$/, '');
  return trimmed.length <= MAX_SHOWN ? trimmed : `${trimmed.slice(0, MAX_SHOWN)}…`;
}

import { ProviderError } from '../../../core/index.ts';
import type { JsonObject } from '../../../core/index.ts';
import type { LiveState, ProviderContext } from '../../contract.ts';
import type { CommandSpec, ExecOptions, Transport } from '../../../transports/index.ts';
import type { HostKindHandler } from '../host-kind.ts';
import { knownHostPath, resolveHostPath } from '../internal/paths.ts';
import { PreparedMemo } from '../internal/prepared-memo.ts';
import { Props } from '../internal/props.ts';

const KIND = 'host:command';

/** JSON Schema of `host:command` properties. */
export const COMMAND_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A command run on the host, guarded by "creates" and/or "unless". Without a guard it runs on every commit.',
  type: 'object',
  additionalProperties: false,
  properties: {
    run: { type: 'string', minLength: 1, description: 'A shell script, run with /bin/sh -c. Set this or "argv".' },
    argv: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'A program and its arguments, run without a shell. Set this or "run".' },
    creates: { type: 'string', minLength: 1, description: 'A path the command creates: when it exists the command is done and does not run.' },
    unless: { type: 'string', minLength: 1, description: 'A shell command: when it exits 0 the command is done and does not run.' },
    cwd: { type: 'string', minLength: 1, description: 'Working directory; defaults to the config directory.' },
    env: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Environment variables added to the inherited environment.' },
    timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds before the command is killed; no limit when unset.' },
    remove: { type: 'string', minLength: 1, description: 'A shell command run when the resource is deleted (dismantle, or dropped from config).' },
  },
  oneOf: [{ required: ['run'] }, { required: ['argv'] }],
} as const;

/** A command's settings with every path resolved; also its live `properties`, so delete can run `remove`. */
interface CommandSettings {
  readonly spec: CommandSpec;
  readonly creates: string | undefined;
  readonly unless: string | undefined;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number | undefined;
  readonly remove: string | undefined;
}

/**
 * `host:command`: runs a command when its guards say it is not done yet. It "exists" when
 * `creates` exists or `unless` exits 0; otherwise it is pending and `create` runs it. With
 * neither guard it is always pending: it runs on every commit and is never deleted.
 * Changing `run` does not re-run a command whose guard is satisfied.
 */
export function createCommandKind(transport: Transport): HostKindHandler {
  const memo = new PreparedMemo<string | undefined>();

  const isDone = async (settings: CommandSettings, ctx: ProviderContext): Promise<boolean> => {
    if (settings.creates !== undefined && (await transport.stat(settings.creates)) !== undefined) return true;
    if (settings.unless === undefined) return false;
    const result = await transport.exec({ kind: 'shell', script: settings.unless }, execOptions(settings, ctx, false));
    return result.exitCode === 0;
  };

  const readLive = async (settings: CommandSettings, ctx: ProviderContext): Promise<LiveState | undefined> =>
    (await isDone(settings, ctx)) ? commandLive(settings, null) : undefined;

  const run = async (settings: CommandSettings, spec: CommandSpec, ctx: ProviderContext): Promise<{ exitCode: number; stdout: string; stderr: string }> => {
    const result = await transport.exec(spec, execOptions(settings, ctx, true));
    if (result.exitCode !== 0) {
      const lastError = result.stderr.trimEnd().split('\n').at(-1) ?? '';
      const how = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
      throw new ProviderError('RS_HOST_E0008', `Command "${describeSpec(spec)}" ${how}${lastError === '' ? '' : `: ${lastError}`}`, {
        hint: 'Read the command output above; fix the command or its guard',
      });
    }
    return { exitCode: result.exitCode, stdout: result.stdout.replace(/\n$/, ''), stderr: result.stderr.replace(/\n$/, '') };
  };

  return {
    kind: KIND,
    description: 'A command guarded by creates/unless, with an optional remove command',
    schema: COMMAND_SCHEMA,
    forceReplace: [],
    attributes: ['exit_code', 'stdout', 'stderr', 'creates'],

    read(desired, ctx) {
      const settings = settingsOf(new Props(desired.properties, KIND), ctx.baseDir);
      memo.remember(desired, settings.creates);
      return readLive(settings, ctx);
    },

    reread(snapshot, ctx) {
      return readLive(settingsOf(new Props(snapshot.properties, KIND), ctx.baseDir), ctx);
    },

    // Guards alone decide whether the command is done; there is nothing else to compare.
    diff: () => [],

    plannedAttributes(desired) {
      const creates = new Props(desired.properties, KIND).optionalString('creates');
      const known = creates === undefined ? null : knownHostPath(creates, memo.recall(desired));
      return known === undefined ? {} : { creates: known };
    },

    async create(desired, ctx) {
      const settings = settingsOf(new Props(desired.properties, KIND), ctx.baseDir);
      return commandLive(settings, await run(settings, settings.spec, ctx));
    },

    // diff() never reports a field, so the engine has no reason to update; keep what is live.
    update: (desired, live, _diff, ctx) => Promise.resolve({ ...live, properties: settingsToProperties(settingsOf(new Props(desired.properties, KIND), ctx.baseDir)) }),

    async delete(live, ctx) {
      const settings = settingsOf(new Props(live.properties, KIND), ctx.baseDir);
      if (settings.remove === undefined) return;
      await run(settings, { kind: 'shell', script: settings.remove }, ctx);
    },
  };
}

function settingsOf(props: Props, baseDir: string): CommandSettings {
  const which = props.exactlyOne('run', 'argv');
  const spec = which === 'run' ? { kind: 'shell' as const, script: props.string('run') } : argvSpec(props.optionalStringList('argv') ?? []);
  const creates = props.optionalString('creates');
  const cwd = props.optionalString('cwd');
  return {
    spec,
    creates: creates === undefined ? undefined : resolveHostPath(creates, baseDir),
    unless: props.optionalString('unless'),
    cwd: cwd === undefined ? baseDir : resolveHostPath(cwd, baseDir),
    env: props.stringMap('env'),
    timeoutSeconds: props.optionalNumber('timeout'),
    remove: props.optionalString('remove'),
  };
}

function argvSpec(argv: readonly string[]): CommandSpec {
  const [program, ...args] = argv;
  if (program === undefined) throw new ProviderError('RS_HOST_E0011', 'Invalid host:command property "argv": expected at least one entry, found none');
  return { kind: 'argv', argv: [program, ...args] };
}

function execOptions(settings: CommandSettings, ctx: ProviderContext, stream: boolean): ExecOptions {
  return {
    cwd: settings.cwd,
    env: settings.env,
    signal: ctx.signal,
    ...(settings.timeoutSeconds === undefined ? {} : { timeoutMs: settings.timeoutSeconds * 1000 }),
    ...(stream ? { onLine: (line: string, which: 'stdout' | 'stderr') => { ctx.output(line, which); } } : {}),
  };
}

/** Live state keeps the resolved settings: discovery re-checks guards and delete runs `remove` from them. */
function commandLive(settings: CommandSettings, ran: { readonly exitCode: number; readonly stdout: string; readonly stderr: string } | null): LiveState {
  return {
    identity: settings.creates ?? describeSpec(settings.spec),
    properties: settingsToProperties(settings),
    attributes: { exit_code: ran?.exitCode ?? null, stdout: ran?.stdout ?? null, stderr: ran?.stderr ?? null, creates: settings.creates ?? null },
  };
}

function settingsToProperties(settings: CommandSettings): JsonObject {
  const { spec } = settings;
  return {
    ...(spec.kind === 'shell' ? { run: spec.script } : { argv: [...spec.argv] }),
    ...(settings.creates === undefined ? {} : { creates: settings.creates }),
    ...(settings.unless === undefined ? {} : { unless: settings.unless }),
    cwd: settings.cwd,
    env: { ...settings.env },
    ...(settings.timeoutSeconds === undefined ? {} : { timeout: settings.timeoutSeconds }),
    ...(settings.remove === undefined ? {} : { remove: settings.remove }),
  };
}

/** A short display form of a command for messages. */
function describeSpec(spec: CommandSpec): string {
  const text = spec.kind === 'shell' ? spec.script : spec.argv.join(' ');
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
}


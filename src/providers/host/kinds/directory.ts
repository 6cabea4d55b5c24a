import { ProviderError } from '../../../core/index.ts';
import type { DesiredResource, FieldDiff, LiveState, ProviderContext } from '../../contract.ts';
import type { Transport } from '../../../transports/index.ts';
import type { HostKindHandler } from '../host-kind.ts';
import { formatMode, MODE_PATTERN, normalizeMode, parseMode } from '../internal/mode.ts';
import { assertDeletablePath, knownHostPath, resolveHostPath } from '../internal/paths.ts';
import { PreparedMemo } from '../internal/prepared-memo.ts';
import { Props } from '../internal/props.ts';

const KIND = 'host:directory';

/** JSON Schema of `host:directory` properties. */
export const DIRECTORY_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A directory with a mode; missing parents are created.',
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Path of the directory; relative paths resolve from the config directory.' },
    mode: { type: 'string', pattern: MODE_PATTERN, default: '0755', description: 'Permission bits in octal, e.g. "0750".' },
    force_destroy: {
      type: 'boolean',
      default: false,
      description: 'On delete, remove everything inside too (like Terraform force_destroy); otherwise only an empty directory is removed.',
    },
  },
} as const;

/**
 * `host:directory`: a directory and its mode. Deleting removes it only when empty, so
 * Runestone never deletes files it does not manage.
 */
export function createDirectoryKind(transport: Transport): HostKindHandler {
  const memo = new PreparedMemo<string>();

  /** The desired values without a context: `path` only when absolute or remembered by `read`. */
  const desiredOf = (desired: DesiredResource): { path: string | undefined; mode: string } => {
    const props = new Props(desired.properties, KIND);
    const raw = props.string('path');
    const path = knownHostPath(raw, memo.recall(desired));
    return { path, mode: normalizeMode(props.string('mode')) };
  };
  const resolvedPath = (desired: DesiredResource, baseDir: string): string => resolveHostPath(new Props(desired.properties, KIND).string('path'), baseDir);


  const readLive = async (path: string, forceDestroy: boolean): Promise<LiveState | undefined> => {
    const stat = await transport.stat(path);
    if (stat === undefined) return undefined;
    if (stat.type !== 'directory') {
      throw new ProviderError('RS_HOST_E0005', `Cannot manage "${path}" as ${KIND}: it is a ${stat.type}, not a directory`, {
        hint: 'Move the existing entry away, or choose another path',
      });
    }
    return directoryLive(path, formatMode(stat.mode), forceDestroy);
  };
  const forceDestroyOf = (desired: DesiredResource): boolean => desired.properties['force_destroy'] === true;

  const ensure = async (desired: DesiredResource, ctx: ProviderContext): Promise<LiveState> => {
    const { mode } = desiredOf(desired);
    const target = resolvedPath(desired, ctx.baseDir);
    await transport.makeDirectory(target, { mode: parseMode(mode) });
    return directoryLive(target, mode, forceDestroyOf(desired));
  };

  return {
    kind: KIND,
    description: 'A directory with a mode',
    schema: DIRECTORY_SCHEMA,
    forceReplace: ['path'],
    attributes: ['path', 'mode'],

    read(desired, ctx) {
      const target = resolvedPath(desired, ctx.baseDir);
      memo.remember(desired, target);
      return readLive(target, forceDestroyOf(desired));
    },

    // force_destroy is config-only; the snapshot remembers it for resources dropped from config.
    reread: (snapshot) => readLive(snapshot.identity, snapshot.properties['force_destroy'] === true),

    diff(desired, live) {
      const { path, mode } = desiredOf(desired);
      const diffs: FieldDiff[] = [];
      if (path !== undefined && path !== live.identity) diffs.push({ path: '/path', before: live.identity, after: path, forcesReplace: true });
      const liveMode = live.properties['mode'];
      if (typeof liveMode === 'string' && liveMode !== mode) {
        diffs.push({ path: '/mode', before: liveMode, after: mode, forcesReplace: false, description: `mode is ${liveMode} (expected ${mode})` });
      }
      return diffs;
    },

    plannedAttributes(desired) {
      const { path, mode } = desiredOf(desired);
      return path === undefined ? { mode } : { path, mode };
    },

    create: ensure,
    // makeDirectory is idempotent and sets the mode exactly, so update is the same call.
    update: (desired, _live, _diff, ctx) => ensure(desired, ctx),

    async delete(live) {
      assertDeletablePath(live.identity, KIND);
      const stat = await transport.stat(live.identity);
      if (stat === undefined) return;
      if (stat.type !== 'directory') {
        throw new ProviderError('RS_HOST_E0005', `Refusing to delete "${live.identity}" as ${KIND}: it is now a ${stat.type}`, {
          hint: 'Something else owns this path now; remove it by hand if that is intended',
        });
      }
      await transport.removeDirectory(live.identity, { recursive: live.properties['force_destroy'] === true });
    },
  };
}

function directoryLive(path: string, mode: string, forceDestroy: boolean): LiveState {
  return { identity: path, properties: { path, mode, force_destroy: forceDestroy }, attributes: { path, mode } };
}

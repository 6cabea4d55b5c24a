import { ProviderError } from '../../../core/index.ts';
import type { DesiredResource, FieldDiff, LiveState, ProviderContext } from '../../contract.ts';
import type { Transport } from '../../../transports/index.ts';
import type { HostKindHandler } from '../host-kind.ts';
import { assertDeletablePath, knownHostPath, resolveHostPath } from '../internal/paths.ts';
import { PreparedMemo } from '../internal/prepared-memo.ts';
import { Props } from '../internal/props.ts';

const KIND = 'host:link';

/** JSON Schema of `host:link` properties. */
export const LINK_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A symbolic link pointing at a target.',
  type: 'object',
  additionalProperties: false,
  required: ['path', 'target'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Path of the link; relative paths resolve from the config directory.' },
    target: { type: 'string', minLength: 1, description: 'What the link points at, stored as written (a relative target is relative to the link).' },
    force: { type: 'boolean', default: false, description: 'Replace a regular file or an empty directory found at "path".' },
  },
} as const;

/**
 * `host:link`: a symbolic link. The target is compared as written, not resolved. A regular
 * file or empty directory at `path` is replaced only with `force: true`.
 */
export function createLinkKind(transport: Transport): HostKindHandler {
  const memo = new PreparedMemo<string>();

  /** The desired values without a context: `path` only when absolute or remembered by `read`. */
  const desiredOf = (desired: DesiredResource): { path: string | undefined; target: string; force: boolean } => {
    const props = new Props(desired.properties, KIND);
    const raw = props.string('path');
    const path = knownHostPath(raw, memo.recall(desired));
    return { path, target: props.string('target'), force: props.boolean('force', false) };
  };
  const resolvedPath = (desired: DesiredResource, baseDir: string): string => resolveHostPath(new Props(desired.properties, KIND).string('path'), baseDir);


  /** A non-link at the path is reported (target `null`, `found` its type) so previews show the takeover. */
  const readLive = async (path: string, force: boolean): Promise<LiveState | undefined> => {
    const stat = await transport.stat(path);
    if (stat === undefined) return undefined;
    if (stat.type === 'symlink') {
      const target = await transport.readLink(path);
      return target === undefined ? undefined : linkLive(path, target);
    }
    if (!force) {
      throw new ProviderError('RS_HOST_E0005', `Cannot manage "${path}" as ${KIND}: it is a ${stat.type}, not a link`, {
        hint: 'Set "force: true" to replace it with the link, or move it away',
      });
    }
    return { identity: path, properties: { path, target: null, found: stat.type }, attributes: { path, target: null } };
  };

  const point = async (desired: DesiredResource, ctx: ProviderContext): Promise<LiveState> => {
    const { target, force } = desiredOf(desired);
    const where = resolvedPath(desired, ctx.baseDir);
    const stat = await transport.stat(where);
    if (stat !== undefined && stat.type !== 'symlink') {
      if (!force) {
        throw new ProviderError('RS_HOST_E0005', `Cannot create link "${where}": a ${stat.type} is in the way`, {
          hint: 'Set "force: true" to replace it with the link, or move it away',
        });
      }
      // rename() cannot replace a directory with a link; remove it first (only if empty).
      if (stat.type === 'directory') await transport.removeDirectory(where);
    }
    await transport.linkAtomic(target, where);
    return linkLive(where, target);
  };

  return {
    kind: KIND,
    description: 'A symbolic link to a target',
    schema: LINK_SCHEMA,
    forceReplace: ['path'],
    attributes: ['path', 'target'],

    read(desired, ctx) {
      const { force } = desiredOf(desired);
      const where = resolvedPath(desired, ctx.baseDir);
      memo.remember(desired, where);
      return readLive(where, force);
    },

    // From a snapshot, only a link is ours: anything else at the path belongs to someone else.
    async reread(snapshot) {
      const stat = await transport.stat(snapshot.identity);
      return stat?.type === 'symlink' ? readLive(snapshot.identity, false) : undefined;
    },

    diff(desired, live) {
      const { path, target } = desiredOf(desired);
      const diffs: FieldDiff[] = [];
      if (path !== undefined && path !== live.identity) diffs.push({ path: '/path', before: live.identity, after: path, forcesReplace: true });
      const liveTarget = live.properties['target'];
      const found = live.properties['found'];
      if (liveTarget !== target) {
        diffs.push({
          path: '/target',
          before: liveTarget ?? null,
          after: target,
          forcesReplace: false,
          description: typeof found === 'string' ? `is a ${found}, will be replaced by a link to ${target}` : `points at ${JSON.stringify(liveTarget)} (expected ${JSON.stringify(target)})`,
        });
      }
      return diffs;
    },

    plannedAttributes(desired) {
      const { path, target } = desiredOf(desired);
      return path === undefined ? { target } : { path, target };
    },

    create: point,
    update: (desired, _live, _diff, ctx) => point(desired, ctx),

    async delete(live, ctx) {
      assertDeletablePath(live.identity, KIND);
      const stat = await transport.stat(live.identity);
      if (stat === undefined) return;
      if (stat.type !== 'symlink') {
        // Not a link: there is no link to delete, and the file is not ours to remove.
        ctx.output(`left ${live.identity} in place: it is a ${stat.type}, not a link`);
        return;
      }
      await transport.removeFile(live.identity);
    },
  };
}

function linkLive(path: string, target: string): LiveState {
  return { identity: path, properties: { path, target }, attributes: { path, target } };
}

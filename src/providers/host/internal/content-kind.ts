import { ProviderError } from '../../../core/index.ts';
import type { JsonSchema, DesiredResource, FieldDiff, LiveState, ProviderContext } from '../../contract.ts';
import type { Attributes } from '../../contract.ts';
import type { Transport } from '../../../transports/index.ts';
import { sha256Hex, shortHash } from './digest.ts';
import type { HostKindHandler } from '../host-kind.ts';
import { formatMode, normalizeMode, parseMode } from './mode.ts';
import { assertDeletablePath, resolveHostPath } from './paths.ts';
import { PreparedMemo } from './prepared-memo.ts';
import { Props } from './props.ts';

/** How a content kind turns its properties into the bytes the file must hold. */
export interface ContentProducer {
  /** Produces the desired bytes; may read `source` files (relative to `ctx.baseDir`) or render. */
  produce(props: Props, ctx: ProviderContext): Promise<Uint8Array>;
  /** The bytes when they are knowable without any context (inline text), else `undefined`. */
  produceWithoutContext(props: Props): Uint8Array | undefined;
  /**
   * False when the property the bytes come from is absent: in a preview, a value known only
   * after commit (`content: ${res.cmd.stdout}`) is left out of the desired properties.
   */
  hasContent(props: Props): boolean;
}

/** What a kind needs to say to become a content kind. */
export interface ContentKindOptions {
  readonly kind: string;
  readonly description: string;
  readonly schema: JsonSchema;
  readonly producer: ContentProducer;
}

/** The desired file, worked out once per read. */
interface PreparedFile {
  readonly path: string;
  readonly mode: string;
  readonly sha256: string;
  readonly size: number;
}

/**
 * Builds a kind whose resource is a regular file with some content and a mode (`host:file`,
 * `host:template`). Live state holds the content's SHA-256, never the content, so caches,
 * events and diffs stay small and never leak file contents. Writes are atomic.
 */
export function createContentKind(transport: Transport, options: ContentKindOptions): HostKindHandler {
  const { kind, producer } = options;
  // What read worked out; without sha256 and size while the content is not known yet.
  const memo = new PreparedMemo<Omit<PreparedFile, 'sha256' | 'size'> & Partial<PreparedFile>>();

  const prepare = async (desired: DesiredResource, ctx: ProviderContext): Promise<{ prepared: PreparedFile; bytes: Uint8Array }> => {
    const props = new Props(desired.properties, kind);
    const bytes = await producer.produce(props, ctx);
    const prepared = {
      path: resolveHostPath(props.string('path'), ctx.baseDir),
      mode: normalizeMode(props.string('mode')),
      sha256: sha256Hex(bytes),
      size: bytes.byteLength,
    };
    memo.remember(desired, prepared);
    return { prepared, bytes };
  };

  /** Without a context, only an absolute path with inline content is fully known. */
  const prepareWithoutContext = (desired: DesiredResource): Partial<PreparedFile> => {
    const props = new Props(desired.properties, kind);
    const path = props.string('path');
    const bytes = producer.produceWithoutContext(props);
    return {
      ...(path.startsWith('/') ? { path: resolveHostPath(path, '/') } : {}),
      mode: normalizeMode(props.string('mode')),
      ...(bytes === undefined ? {} : { sha256: sha256Hex(bytes), size: bytes.byteLength }),
    };
  };

  const readLive = async (path: string): Promise<LiveState | undefined> => {
    const stat = await transport.stat(path);
    if (stat === undefined) return undefined;
    if (stat.type !== 'file') {
      throw new ProviderError('RS_HOST_E0005', `Cannot manage "${path}" as ${kind}: it is a ${stat.type}, not a regular file`, {
        hint: stat.type === 'symlink' ? "Point the resource at the link's target, or remove the link" : 'Move the existing entry away, or choose another path',
      });
    }
    const sha256 = await transport.hashFile(path);
    // Gone between stat and read: treat as absent, the next run sees the truth.
    if (sha256 === undefined) return undefined;
    return fileLive(path, formatMode(stat.mode), sha256, stat.size);
  };

  const write = async (desired: DesiredResource, ctx: ProviderContext): Promise<LiveState> => {
    const { prepared, bytes } = await prepare(desired, ctx);
    await transport.writeFileAtomic(prepared.path, bytes, { mode: parseMode(prepared.mode) });
    return fileLive(prepared.path, prepared.mode, prepared.sha256, prepared.size);
  };

  return {
    kind,
    description: options.description,
    schema: options.schema,
    forceReplace: ['path'],
    attributes: ['path', 'sha256', 'size', 'mode'],

    async read(desired, ctx) {
      const props = new Props(desired.properties, kind);
      if (!producer.hasContent(props)) {
        // The content is known only after commit; the file can still be found by its path.
        if (!props.has('path')) return undefined;
        const path = resolveHostPath(props.string('path'), ctx.baseDir);
        memo.remember(desired, { path, mode: normalizeMode(props.string('mode')) });
        return readLive(path);
      }
      const { prepared } = await prepare(desired, ctx);
      return readLive(prepared.path);
    },

    reread(snapshot) {
      return readLive(snapshot.identity);
    },

    diff(desired, live) {
      const prepared = memo.recall(desired) ?? prepareWithoutContext(desired);
      if (prepared.path === undefined || (prepared.sha256 === undefined && producer.hasContent(new Props(desired.properties, kind)))) {
        throw new ProviderError('RS_INTERNAL_E0001', `Cannot diff ${desired.address} before it was read`, { source: 'internal' });
      }
      return diffFile({ ...prepared, path: prepared.path }, live);
    },

    plannedAttributes(desired) {
      const prepared = memo.recall(desired) ?? prepareWithoutContext(desired);
      const attributes: Record<string, string | number> = {};
      for (const key of ['path', 'sha256', 'size', 'mode'] as const) {
        const value = prepared[key];
        if (value !== undefined) attributes[key] = value;
      }
      return attributes;
    },

    create: write,

    async update(desired, live, _diff, ctx) {
      const { prepared, bytes } = await prepare(desired, ctx);
      // Decide from the freshly prepared state, not the diff: the file may have moved on.
      if (prepared.sha256 !== live.properties['sha256'] || prepared.path !== live.identity) return write(desired, ctx);
      if (prepared.mode !== live.properties['mode']) {
        await transport.chmod(prepared.path, parseMode(prepared.mode));
      }
      return fileLive(prepared.path, prepared.mode, prepared.sha256, bytes.byteLength);
    },

    async delete(live) {
      assertDeletablePath(live.identity, kind);
      const stat = await transport.stat(live.identity);
      if (stat === undefined) return;
      if (stat.type !== 'file') {
        throw new ProviderError('RS_HOST_E0005', `Refusing to delete "${live.identity}" as ${kind}: it is now a ${stat.type}`, {
          hint: 'Something else owns this path now; remove it by hand if that is intended',
        });
      }
      await transport.removeFile(live.identity);
    },
  };
}

/** The field diffs of a file: path (forces replace), content by hash (when known), mode. */
function diffFile(desired: { readonly path: string; readonly mode?: string | undefined; readonly sha256?: string | undefined }, live: LiveState): readonly FieldDiff[] {
  const diffs: FieldDiff[] = [];
  if (desired.path !== live.identity) {
    diffs.push({ path: '/path', before: live.identity, after: desired.path, forcesReplace: true });
  }
  const liveHash = live.properties['sha256'];
  if (typeof liveHash === 'string' && desired.sha256 !== undefined && liveHash !== desired.sha256) {
    diffs.push({
      path: '/content',
      before: `sha256:${liveHash}`,
      after: `sha256:${desired.sha256}`,
      forcesReplace: false,
      description: `content changed (sha256 ${shortHash(liveHash)} → ${shortHash(desired.sha256)})`,
    });
  }
  const liveMode = live.properties['mode'];
  if (typeof liveMode === 'string' && desired.mode !== undefined && liveMode !== desired.mode) {
    diffs.push({ path: '/mode', before: liveMode, after: desired.mode, forcesReplace: false, description: `mode is ${liveMode} (expected ${desired.mode})` });
  }
  return diffs;
}

function fileLive(path: string, mode: string, sha256: string, size: number): LiveState {
  const attributes: Attributes = { path, sha256, size, mode };
  return { identity: path, properties: { path, mode, sha256 }, attributes };
}

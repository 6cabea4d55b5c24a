import { posix } from 'node:path';
import { ProviderError } from '../../../core/index.ts';
import type { LiveState, ProviderContext } from '../../contract.ts';
import type { Transport } from '../../../transports/index.ts';
import type { HostKindHandler } from '../host-kind.ts';
import { resolveHostPath } from '../internal/paths.ts';
import { Props } from '../internal/props.ts';

const KIND = 'host:unarchive';

/** JSON Schema of `host:unarchive` properties. */
export const UNARCHIVE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A .tar, .tar.gz or .tgz archive on the host extracted into a directory with the host\'s tar, after its listing is checked for path traversal.',
  type: 'object',
  additionalProperties: false,
  required: ['path', 'source'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Directory to extract into (created when missing); relative paths resolve from the config directory.' },
    source: { type: 'string', pattern: '\\.(tar|tar\\.gz|tgz)$', description: 'The archive, a path on the host (e.g. the dest of a download).' },
    strip_components: { type: 'integer', minimum: 0, default: 0, description: 'Leading path segments removed from every entry (tar --strip-components).' },
    creates: { type: 'string', minLength: 1, description: 'When this path exists the archive counts as extracted. Without it: when every entry exists under path.' },
  },
} as const;

interface Settings {
  readonly path: string;
  readonly source: string;
  readonly strip: number;
  readonly creates: string | undefined;
}

/**
 * `host:unarchive`: extracts an archive that is on the host with the host's `tar`, through
 * the transport (so it works over SSH). The listing is read first: an absolute entry, a `..`
 * segment, or a link pointing outside the archive is refused before anything is extracted.
 * Done when `creates` exists, else when every entry (after stripping) exists under `path`.
 * Extracted files are not removed when the resource goes away.
 */
export function createUnarchiveKind(transport: Transport): HostKindHandler {
  const run = async (argv: [string, ...string[]], ctx: ProviderContext, what: string): Promise<string> => {
    const result = await transport.exec({ kind: 'argv', argv }, { signal: ctx.signal });
    if (result.exitCode !== 0) {
      const detail = result.exitCode === 127 ? 'tar is not installed on the host' : result.stderr.trim().split('\n').at(-1) ?? `exit ${String(result.exitCode)}`;
      throw new ProviderError('RS_HOST_E0041', `Cannot ${what}: ${detail}`, { hint: 'Check that the archive is a valid .tar, .tar.gz or .tgz and that tar is installed on the host' });
    }
    return result.stdout;
  };

  /** The entries after stripping, once the listing was checked for traversal. */
  const safeEntries = async (settings: Settings, ctx: ProviderContext): Promise<readonly string[]> => {
    const flags = compressionFlag(settings.source);
    const names = (await run(['tar', `-t${flags}f`, settings.source], ctx, `list "${settings.source}"`)).split('\n').filter((line) => line !== '');
    for (const name of names) {
      if (name.startsWith('/') || name.split('/').includes('..')) refuse(settings.source, `entry "${name}" would be written outside "${settings.path}"`);
    }
    const verbose = (await run(['tar', `-tv${flags}f`, settings.source], ctx, `list "${settings.source}"`)).split('\n');
    for (const line of verbose) {
      const link = /^l.* -> (.*)$/.exec(line)?.[1];
      if (link === undefined) continue;
      const name = names.find((n) => line.includes(` ${n} -> `)) ?? '';
      const resolved = posix.normalize(posix.join(posix.dirname(name), link));
      if (link.startsWith('/') || resolved === '..' || resolved.startsWith('../')) refuse(settings.source, `link "${name}" points outside the archive (${link})`);
    }
    return names
      .map((name) => name.split('/').filter((segment) => segment !== '' && segment !== '.'))
      .filter((segments) => segments.length > settings.strip)
      .map((segments) => segments.slice(settings.strip).join('/'));
  };

  const isDone = async (settings: Settings, ctx: ProviderContext): Promise<boolean> => {
    if (settings.creates !== undefined) return (await transport.stat(settings.creates)) !== undefined;
    // The archive may come from an earlier step of this commit: not there yet, not done.
    if ((await transport.stat(settings.source)) === undefined) return false;
    const entries = await safeEntries(settings, ctx);
    if ((await transport.stat(settings.path)) === undefined) return false;
    for (const entry of entries) {
      if ((await transport.stat(posix.join(settings.path, entry))) === undefined) return false;
    }
    return true;
  };

  const extract = async (settings: Settings, ctx: ProviderContext): Promise<LiveState> => {
    if ((await transport.stat(settings.source)) === undefined) {
      throw new ProviderError('RS_HOST_E0041', `Cannot extract "${settings.source}": it does not exist on the host`, { hint: 'Download or copy the archive first (an earlier step), or fix source' });
    }
    await safeEntries(settings, ctx);
    if ((await transport.stat(settings.path)) === undefined) await transport.makeDirectory(settings.path, { mode: 0o755 });
    await run(['tar', `-x${compressionFlag(settings.source)}f`, settings.source, '-C', settings.path, `--strip-components=${String(settings.strip)}`], ctx, `extract "${settings.source}"`);
    return live(settings);
  };

  return {
    kind: KIND,
    description: 'An archive on the host extracted with tar, refusing path traversal',
    schema: UNARCHIVE_SCHEMA,
    forceReplace: [],
    attributes: ['path'],

    async read(desired, ctx) {
      const settings = settingsOf(desired.properties, ctx.baseDir);
      return (await isDone(settings, ctx)) ? live(settings) : undefined;
    },

    // Extracted files are left in place when the step goes: nothing to find or remove.
    reread: () => Promise.resolve(undefined),

    diff: () => [],

    plannedAttributes(desired) {
      const path = new Props(desired.properties, KIND).string('path');
      return path.startsWith('/') ? { path: resolveHostPath(path, '/') } : {};
    },

    create(desired, ctx) {
      return extract(settingsOf(desired.properties, ctx.baseDir), ctx);
    },

    update: (desired, _live, _diff, ctx) => Promise.resolve(live(settingsOf(desired.properties, ctx.baseDir))),

    delete: () => Promise.resolve(),
  };
}

function refuse(source: string, why: string): never {
  throw new ProviderError('RS_HOST_E0042', `Refusing to extract "${source}": ${why}`, { hint: 'Only extract archives whose entries stay inside the destination; repack the archive' });
}

function compressionFlag(source: string): string {
  if (source.endsWith('.tar.gz') || source.endsWith('.tgz')) return 'z';
  if (source.endsWith('.tar')) return '';
  throw new ProviderError('RS_HOST_E0041', `Cannot extract "${source}": only .tar, .tar.gz and .tgz are supported`, { hint: 'Use a .tar, .tar.gz or .tgz archive' });
}

function settingsOf(properties: LiveState['properties'], baseDir: string): Settings {
  const props = new Props(properties, KIND);
  const creates = props.optionalString('creates');
  return {
    path: resolveHostPath(props.string('path'), baseDir),
    source: resolveHostPath(props.string('source'), baseDir),
    strip: props.optionalNumber('strip_components') ?? 0,
    creates: creates === undefined ? undefined : resolveHostPath(creates, baseDir),
  };
}

function live(settings: Settings): LiveState {
  return {
    identity: settings.path,
    properties: { path: settings.path, source: settings.source, strip_components: settings.strip, ...(settings.creates === undefined ? {} : { creates: settings.creates }) },
    attributes: { path: settings.path },
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '../../../core/index.ts';
import type { Attributes, FieldDiff, LiveState, ProviderContext } from '../../contract.ts';
import type { Transport } from '../../../transports/index.ts';
import type { HostKindHandler } from '../host-kind.ts';
import { sha256Hex, shortHash } from '../internal/digest.ts';
import { formatMode, MODE_PATTERN, normalizeMode, parseMode } from '../internal/mode.ts';
import { assertDeletablePath, resolveHostPath } from '../internal/paths.ts';
import { Props } from '../internal/props.ts';

const KIND = 'host:download';

/** JSON Schema of `host:download` properties. */
export const DOWNLOAD_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A file fetched from a URL, verified by SHA-256 and written atomically; skipped when the file on the host already has the checksum.',
  type: 'object',
  additionalProperties: false,
  required: ['path', 'url'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Destination on the host; relative paths resolve from the config directory.' },
    url: { type: 'string', pattern: '^https?://', description: 'What to fetch (from the machine running Runestone).' },
    sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: 'Expected SHA-256. Without it an existing file is never fetched again.' },
    mode: { type: 'string', pattern: MODE_PATTERN, default: '0644', description: 'Permission bits in octal.' },
    headers: { type: 'object', additionalProperties: { type: 'string' }, default: {}, description: 'Request headers (e.g. Authorization); never shown.' },
    timeout: { type: 'number', exclusiveMinimum: 0, default: 60, description: 'Seconds for one attempt, body included.' },
    retries: { type: 'integer', minimum: 0, maximum: 20, default: 2, description: 'More attempts after a network error, a timeout or a 5xx/429 answer.' },
    retry_delay: { type: 'number', minimum: 0, default: 1, description: 'Seconds between attempts.' },
  },
} as const;

interface Settings {
  readonly path: string;
  readonly url: string;
  readonly sha256: string | undefined;
  readonly mode: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly retryDelaySeconds: number;
}

/**
 * `host:download`: fetches `url` on the machine running Runestone, checks the SHA-256 and
 * writes the bytes to the host through the transport (temp file + rename), so it works the
 * same locally and over SSH. With `sha256`, a file that already has it is left alone; without,
 * an existing file is.
 */
export function createDownloadKind(transport: Transport): HostKindHandler {
  const readLive = async (path: string): Promise<LiveState | undefined> => {
    const stat = await transport.stat(path);
    if (stat === undefined) return undefined;
    if (stat.type !== 'file') {
      throw new ProviderError('RS_HOST_E0005', `Cannot manage "${path}" as ${KIND}: it is a ${stat.type}, not a regular file`, { hint: 'Move the existing entry away, or choose another path' });
    }
    const sha256 = await transport.hashFile(path);
    return sha256 === undefined ? undefined : live(path, formatMode(stat.mode), sha256, stat.size);
  };

  const fetchAndWrite = async (settings: Settings, ctx: ProviderContext): Promise<LiveState> => {
    const bytes = await fetchVerified(settings, ctx);
    await transport.writeFileAtomic(settings.path, bytes, { mode: parseMode(settings.mode) });
    return live(settings.path, settings.mode, sha256Hex(bytes), bytes.byteLength);
  };

  return {
    kind: KIND,
    description: 'A file downloaded from a URL, verified by SHA-256, written atomically',
    schema: DOWNLOAD_SCHEMA,
    forceReplace: ['path'],
    attributes: ['path', 'sha256', 'size', 'mode'],

    read(desired, ctx) {
      return readLive(settingsOf(desired.properties, ctx.baseDir).path);
    },

    reread(snapshot) {
      return readLive(snapshot.identity);
    },

    diff(desired, state) {
      const settings = settingsOf(desired.properties, '/');
      const diffs: FieldDiff[] = [];
      const liveHash = state.properties['sha256'];
      if (settings.sha256 !== undefined && typeof liveHash === 'string' && liveHash !== settings.sha256) {
        diffs.push({
          path: '/content',
          before: `sha256:${liveHash}`,
          after: `sha256:${settings.sha256}`,
          forcesReplace: false,
          description: `content changed (sha256 ${shortHash(liveHash)} → ${shortHash(settings.sha256)}): download ${redactUrl(settings.url)}`,
        });
      }
      const liveMode = state.properties['mode'];
      if (typeof liveMode === 'string' && liveMode !== settings.mode) {
        diffs.push({ path: '/mode', before: liveMode, after: settings.mode, forcesReplace: false, description: `mode is ${liveMode} (expected ${settings.mode})` });
      }
      return diffs;
    },

    plannedAttributes(desired) {
      const settings = settingsOf(desired.properties, '/');
      return { mode: settings.mode, ...(settings.sha256 === undefined ? {} : { sha256: settings.sha256 }) };
    },

    create(desired, ctx) {
      return fetchAndWrite(settingsOf(desired.properties, ctx.baseDir), ctx);
    },

    async update(desired, state, _diff, ctx) {
      const settings = settingsOf(desired.properties, ctx.baseDir);
      const liveHash = state.properties['sha256'];
      if (settings.path !== state.identity || (settings.sha256 !== undefined && liveHash !== settings.sha256)) return fetchAndWrite(settings, ctx);
      await transport.chmod(settings.path, parseMode(settings.mode));
      return live(settings.path, settings.mode, typeof liveHash === 'string' ? liveHash : '', Number(state.attributes['size'] ?? 0));
    },

    async delete(state) {
      assertDeletablePath(state.identity, KIND);
      const stat = await transport.stat(state.identity);
      if (stat === undefined) return;
      if (stat.type !== 'file') {
        throw new ProviderError('RS_HOST_E0005', `Refusing to delete "${state.identity}" as ${KIND}: it is now a ${stat.type}`, { hint: 'Something else owns this path now; remove it by hand if that is intended' });
      }
      await transport.removeFile(state.identity);
    },
  };
}

function settingsOf(properties: LiveState['properties'], baseDir: string): Settings {
  const props = new Props(properties, KIND);
  return {
    path: resolveHostPath(props.string('path'), baseDir),
    url: props.string('url'),
    sha256: props.optionalString('sha256')?.toLowerCase(),
    mode: normalizeMode(props.optionalString('mode') ?? '0644'),
    headers: props.stringMap('headers'),
    timeoutSeconds: props.optionalNumber('timeout') ?? 60,
    retries: props.optionalNumber('retries') ?? 2,
    retryDelaySeconds: props.optionalNumber('retry_delay') ?? 1,
  };
}

/** Fetches the URL with retries and checks the checksum; a mismatch is never retried. */
async function fetchVerified(settings: Settings, ctx: ProviderContext): Promise<Uint8Array> {
  const display = redactUrl(settings.url);
  for (let attempt = 1; ; attempt++) {
    const outcome = await fetchOnce(settings, display, ctx.signal);
    if (outcome.bytes !== undefined) {
      const found = sha256Hex(outcome.bytes);
      if (settings.sha256 !== undefined && found !== settings.sha256) {
        throw new ProviderError('RS_HOST_E0040', `Checksum mismatch for ${display}: expected sha256 ${settings.sha256}, found ${found}; nothing was written`, {
          hint: 'Check the URL and the sha256; the file at the URL may have changed',
        });
      }
      return outcome.bytes;
    }
    if (!outcome.retryable || attempt > settings.retries) {
      throw new ProviderError('RS_HOST_E0039', `Cannot download ${display}: ${outcome.problem}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`, {
        hint: 'Check the URL, the network and the headers; raise retries or timeout for a slow or flaky server',
      });
    }
    ctx.output(`download ${display}: ${outcome.problem}; attempt ${attempt + 1} of ${settings.retries + 1}`, 'stderr');
    await sleep(settings.retryDelaySeconds * 1000, undefined, { signal: ctx.signal });
  }
}

async function fetchOnce(settings: Settings, display: string, signal: AbortSignal): Promise<{ bytes?: Uint8Array; problem: string; retryable: boolean }> {
  const timeout = AbortSignal.timeout(Math.round(settings.timeoutSeconds * 1000));
  try {
    const response = await fetch(settings.url, { headers: settings.headers, signal: AbortSignal.any([signal, timeout]), redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      return { problem: `HTTP ${response.status} ${response.statusText}`.trim(), retryable: response.status >= 500 || response.status === 429 };
    }
    return { bytes: new Uint8Array(await response.arrayBuffer()), problem: '', retryable: false };
  } catch (error) {
    if (signal.aborted) throw error;
    if (timeout.aborted) return { problem: `no complete answer within ${settings.timeoutSeconds}s`, retryable: true };
    const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return { problem: detail, retryable: true };
  }
}

/** The URL without user info or query (they may hold credentials). */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search === '' ? '' : '?…'}`;
  } catch {
    return '<invalid URL>';
  }
}

function live(path: string, mode: string, sha256: string, size: number): LiveState {
  const attributes: Attributes = { path, sha256, size, mode };
  return { identity: path, properties: { path, mode, sha256 }, attributes };
}

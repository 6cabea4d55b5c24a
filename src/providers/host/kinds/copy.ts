import type { Transport } from '../../../transports/index.ts';
import type { HostKindHandler } from '../host-kind.ts';
import { createContentKind } from '../internal/content-kind.ts';
import { MODE_PATTERN } from '../internal/mode.ts';
import { Props } from '../internal/props.ts';
import { readSourceFile } from '../internal/source-file.ts';

const KIND = 'host:copy';

/** JSON Schema of `host:copy` properties. */
export const COPY_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: KIND,
  description: 'A local file copied to the host, compared by SHA-256, written atomically, optionally keeping a backup.',
  type: 'object',
  additionalProperties: false,
  required: ['path', 'source'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Destination on the host; relative paths resolve from the config directory.' },
    source: { type: 'string', minLength: 1, description: 'The local file (where runestone runs) whose bytes are copied.' },
    mode: { type: 'string', pattern: MODE_PATTERN, default: '0644', description: 'Permission bits in octal, e.g. "0640".' },
    backup: { type: 'boolean', default: false, description: 'Before replacing different content, keep the old file as "<path>.<UTC timestamp>~".' },
  },
} as const;

/** `20261125T110036Z`: the UTC time a backup is named after. */
export function backupStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.[0-9]+Z$/, 'Z');
}

/**
 * `host:copy`: copies a local file to the host. The content is compared by SHA-256 (only the
 * hash crosses the wire when nothing changed); the write is a temp file plus rename through
 * the transport; with `backup: true` the file being replaced is kept as `path.<stamp>~`.
 */
export function createCopyKind(transport: Transport, now: () => Date = () => new Date()): HostKindHandler {
  const base = createContentKind(transport, {
    kind: KIND,
    description: 'A local file copied to the host by checksum, atomically, with an optional backup',
    schema: COPY_SCHEMA,
    producer: {
      async produce(props, ctx) {
        return (await readSourceFile(props.string('source'), ctx.baseDir)).bytes;
      },
      hasContent: (props) => props.has('source'),
      produceWithoutContext: () => undefined,
    },
  });
  return {
    ...base,
    async update(desired, live, diff, ctx) {
      const props = new Props(desired.properties, KIND);
      if (props.boolean('backup', false) && diff.some((d) => d.path === '/content')) {
        const old = await transport.readFile(live.identity);
        const stat = await transport.stat(live.identity);
        if (old !== undefined && stat !== undefined) {
          await transport.writeFileAtomic(`${live.identity}.${backupStamp(now())}~`, old, { mode: stat.mode });
        }
      }
      return base.update(desired, live, diff, ctx);
    },
  };
}

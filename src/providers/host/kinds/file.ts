import type { Transport } from '../../../transports/index.ts';
import type { HostKindHandler } from '../host-kind.ts';
import { createContentKind } from '../internal/content-kind.ts';
import { MODE_PATTERN } from '../internal/mode.ts';
import { readSourceFile } from '../internal/source-file.ts';

const encoder = new TextEncoder();

/** JSON Schema of `host:file` properties. */
export const FILE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'host:file',
  description: 'A regular file with the given content and mode, written atomically.',
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Path of the file; relative paths resolve from the config directory.' },
    content: { type: 'string', description: 'The exact content of the file. Set this or "source".' },
    source: { type: 'string', minLength: 1, description: 'A file next to the config whose bytes are copied. Set this or "content".' },
    mode: { type: 'string', pattern: MODE_PATTERN, default: '0644', description: 'Permission bits in octal, e.g. "0640".' },
  },
  oneOf: [{ required: ['content'] }, { required: ['source'] }],
} as const;

/**
 * `host:file`: a file whose content comes inline (`content`) or from a file next to the
 * config (`source`). Changes are detected by SHA-256; missing parent directories are created.
 */
export function createFileKind(transport: Transport): HostKindHandler {
  return createContentKind(transport, {
    kind: 'host:file',
    description: 'A regular file with inline or copied content and a mode',
    schema: FILE_SCHEMA,
    producer: {
      async produce(props, ctx) {
        const which = props.exactlyOne('content', 'source');
        if (which === 'content') return encoder.encode(props.string('content'));
        return (await readSourceFile(props.string('source'), ctx.baseDir)).bytes;
      },
      hasContent: (props) => props.has('content') || props.has('source'),
      produceWithoutContext(props) {
        const content = props.optionalString('content');
        return content === undefined ? undefined : encoder.encode(content);
      },
    },
  });
}

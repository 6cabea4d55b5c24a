import type { Transport } from '../../../transports/index.ts';
import type { HostKindHandler } from '../host-kind.ts';
import { createContentKind } from '../internal/content-kind.ts';
import { MODE_PATTERN } from '../internal/mode.ts';
import type { Props } from '../internal/props.ts';
import { renderTemplate } from '../internal/render-template.ts';
import { resolveHostPath } from '../internal/paths.ts';
import { readSourceFile } from '../internal/source-file.ts';

const encoder = new TextEncoder();

/** JSON Schema of `host:template` properties. */
export const TEMPLATE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'host:template',
  description: 'A file rendered from a nunjucks (Jinja-like) template, written atomically.',
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Path of the rendered file; relative paths resolve from the config directory.' },
    template: { type: 'string', description: 'Inline template text. Set this or "source".' },
    source: { type: 'string', minLength: 1, description: 'A template file next to the config. Set this or "template".' },
    vars: { type: 'object', default: {}, description: 'Variables the template sees; an undefined variable is an error.' },
    mode: { type: 'string', pattern: MODE_PATTERN, default: '0644', description: 'Permission bits in octal, e.g. "0640".' },
    newline: { enum: ['lf', 'crlf'], default: 'lf', description: 'Line ending of the rendered file.' },
  },
  oneOf: [{ required: ['template'] }, { required: ['source'] }],
} as const;

/**
 * `host:template`: renders `template` or `source` with `vars` and writes the result.
 * Changes are detected by the SHA-256 of the rendered content.
 */
export function createTemplateKind(transport: Transport): HostKindHandler {
  return createContentKind(transport, {
    kind: 'host:template',
    description: 'A file rendered from a Jinja-like template with variables',
    schema: TEMPLATE_SCHEMA,
    producer: {
      async produce(props, ctx) {
        const which = props.exactlyOne('template', 'source');
        let rendered: string;
        if (which === 'template') {
          rendered = renderTemplate({ kind: 'inline', text: props.string('template') }, props.objectMap('vars'), ctx.baseDir);
        } else {
          // Read first so a missing source is RS_HOST_E0006, not a template error.
          const source = await readSourceFile(props.string('source'), ctx.baseDir);
          rendered = renderTemplate({ kind: 'file', path: resolveHostPath(source.path, ctx.baseDir) }, props.objectMap('vars'), ctx.baseDir);
        }
        return encoder.encode(applyNewline(rendered, props));
      },
      // Rendering may include other files relative to the config directory: needs context.
      produceWithoutContext: () => undefined,
      hasContent: (props) => props.has('template') || props.has('source'),
    },
  });
}

function applyNewline(text: string, props: Props): string {
  return props.optionalString('newline') === 'crlf' ? text.replace(/\r?\n/g, '\r\n') : text.replace(/\r\n/g, '\n');
}

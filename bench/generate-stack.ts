/** Options for {@link generateStack}. */
export interface GenerateStackOptions {
  /** The resource kind of every resource; default `test:thing` (the plan test provider). */
  readonly kind?: string;
  /** Blocks per dependency chain: block `b` waits for block `b - 1` unless `b` starts a chain. Default 10. */
  readonly chainLength?: number;
}

/**
 * Generates a stack of about `resources` resources that exercises every expansion path
 * and a realistic dependency shape:
 *
 * - one `net` resource every `web` instance references (a wide fan-out, like a VPC);
 * - per block of 10: `web-<b>-${index}` (count 5, templated names, variables, a ternary)
 *   and `disk-<b>` (for_each over a map, referencing `web-<b>-0`, a fan-out of 5);
 * - the `web` instances of block `b` depend on the whole `disk-<b-1>` group, so blocks
 *   form chains of `chainLength` blocks (about `2 × chainLength + 1` levels deep).
 *
 * Resource count: `10 × round(resources / 10) + 1`.
 */
export function generateStack(resources: number, options: GenerateStackOptions = {}): string {
  const kind = options.kind ?? 'test:thing';
  const chainLength = Math.max(1, options.chainLength ?? 10);
  const blocks = Math.max(1, Math.round(resources / 10));
  const lines = [
    'project: bench',
    'environment: prod',
    'variables:',
    '  tags: { owner: platform, cost: "42" }',
    '  zones: { a: 1, b: 2, c: 3, d: 4, e: 5 }',
    'resources:',
    `  - kind: ${kind}`,
    `    name: net`,
    `    properties:`,
    `      value: "\${project}-\${environment}-net"`,
    `      tags: \${tags}`,
  ];
  for (let b = 0; b < blocks; b++) {
    lines.push(
      `  - kind: ${kind}`,
      `    name: web-${b}-\${index}`,
      `    count: 5`,
      `    properties:`,
      `      value: "\${environment == 'prod' ? 'big' : 'small'}-${b}-\${index}"`,
      `      n: \${index * 2}`,
      `      tags: \${tags}`,
      `      list: ["\${res.net.id}"]`,
      b % chainLength === 0 ? `    depends_on: []` : `    depends_on: ["${kind}.disk-${b - 1}"]`,
      `  - kind: ${kind}`,
      `    name: disk-${b}`,
      `    for_each: \${zones}`,
      `    properties:`,
      `      value: "\${key}-\${res['web-${b}-0'].id}"`,
      `      n: \${item}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

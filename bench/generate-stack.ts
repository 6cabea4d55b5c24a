/**
 * Generates a stack of about `resources` test resources using count, for_each and
 * references, so planning benchmarks exercise every expansion path.
 */
export function generateStack(resources: number): string {
  const blocks = Math.max(1, Math.round(resources / 10));
  const lines = [
    'project: bench',
    'environment: prod',
    'variables:',
    '  tags: { owner: platform, cost: "42" }',
    '  zones: { a: 1, b: 2, c: 3, d: 4, e: 5 }',
    'resources:',
  ];
  for (let b = 0; b < blocks; b++) {
    lines.push(
      `  - kind: test:thing`,
      `    name: web-${b}-\${index}`,
      `    count: 5`,
      // Blocks form chains of ten (each waits for the previous one): depth plus fan-out.
      b % 10 !== 0 ? `    depends_on: ["test:thing.disk-${b - 1}"]` : `    depends_on: []`,
      `    properties:`,
      `      value: "\${environment == 'prod' ? 'big' : 'small'}-${b}-\${index}"`,
      `      n: \${index * 2}`,
      `      tags: \${tags}`,
      `  - kind: test:thing`,
      `    name: disk-${b}`,
      `    for_each: \${zones}`,
      `    properties:`,
      `      value: "\${key}-\${res['web-${b}-0'].id}"`,
      `      n: \${item}`,
      b > 0 ? `    depends_on: ["test:thing.web-${b - 1}-4"]` : `    depends_on: []`,
    );
  }
  return `${lines.join('\n')}\n`;
}

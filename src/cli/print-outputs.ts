import type { Redactor } from '../core/redactor.ts';
import { SECRET_PLACEHOLDER } from '../core/redactor.ts';
import type { ResolvedOutput } from '../engine/index.ts';
import type { Writer } from './terminal.ts';

/** Prints stack outputs after a commit, Terraform-style: `name = value`, secrets as `(secret)`. */
export function printOutputs(writer: Writer, outputs: readonly ResolvedOutput[], redactor: Redactor): void {
  if (outputs.length === 0) return;
  const width = Math.max(...outputs.map((output) => output.name.length));
  const lines = outputs.map((output) => {
    const value = output.secret ? SECRET_PLACEHOLDER : output.value === undefined ? '(not known: a resource it reads was not created)' : redactor.redactText(JSON.stringify(output.value));
    return `  ${output.name.padEnd(width)} = ${value}`;
  });
  writer.write(`\nOutputs:\n${lines.join('\n')}\n`);
}

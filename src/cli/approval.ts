import { RunestoneError } from '../core/errors.ts';
import type { ChangeSet } from '../engine/index.ts';
import { countChanges, createStyle, renderPreviewText } from '../report/index.ts';
import type { RunSetup } from './run-setup.ts';
import type { VerbContext } from './verb.ts';

/** Whether a change set has anything to do. */
export function hasWork(changeSet: ChangeSet): boolean {
  const counts = countChanges(changeSet);
  return counts.create + counts.update + counts.replace + counts.delete > 0;
}

/**
 * Shows the change set and asks for approval on a terminal. Without a terminal the
 * caller must pass --yes: refusing is safer than guessing (as terraform apply does).
 */
export async function askApproval(ctx: VerbContext, setup: RunSetup, changeSet: ChangeSet, question: string): Promise<boolean> {
  if (!ctx.terminal.isInteractive) {
    throw new RunestoneError('RS_CLI_E0003', `Cannot ask for approval: no terminal to ask on`, { hint: 'Pass --yes to approve non-interactively' });
  }
  const style = createStyle({ color: ctx.terminal.stdout.color });
  ctx.terminal.stdout.write(`${renderPreviewText(changeSet, { style, redactor: setup.redactor, next: false })}\n`);
  return ctx.terminal.confirm(question);
}

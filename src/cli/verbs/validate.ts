import { EXIT } from '../exit-codes.ts';
import { COMMON_OPTIONS, STACK_OPTIONS } from '../options.ts';
import { printWarnings } from '../print-warnings.ts';
import { loadStackContext } from '../stack-context.ts';
import type { Verb } from '../verb.ts';

/** `runestone validate`: config only, no provider calls. */
export const VALIDATE_VERB: Verb = {
  name: 'validate',
  summary: 'Check the configuration against its schemas (no provider calls)',
  usage: 'runestone validate [-f FILE|DIR] [--var NAME=VALUE]',
  description:
    'Loads every file, checks it against the stack and kind schemas, evaluates expressions, expands count/for_each and modules and\n' +
    'checks the dependency graph. Errors name file:line:col, what was expected and what was found. Exit 2 when invalid.',
  options: [...STACK_OPTIONS, ...COMMON_OPTIONS],
  examples: ['runestone validate', 'runestone validate -f stacks/ --var environment_size=large'],
  run(ctx) {
    const stack = loadStackContext(ctx);
    printWarnings(ctx.terminal.stderr, stack.warnings);
    const files = stack.config.files.size;
    if (stack.steps !== undefined) {
      const count = stack.steps.items.filter((item) => item.kind === 'step').length;
      ctx.terminal.stdout.write(
        `Configuration valid: ${stack.plan.nodes.length} resource${stack.plan.nodes.length === 1 ? '' : 's'} from ${count} step${count === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (steps document, stack ${stack.plan.stack})\n`,
      );
      return Promise.resolve(EXIT.ok);
    }
    const blocks = stack.config.resources.length;
    ctx.terminal.stdout.write(
      `Configuration valid: ${stack.plan.nodes.length} resource${stack.plan.nodes.length === 1 ? '' : 's'} from ${blocks} declaration${blocks === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (stack ${stack.plan.stack})\n`,
    );
    return Promise.resolve(EXIT.ok);
  },
};

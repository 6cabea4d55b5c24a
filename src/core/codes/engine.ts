import type { CodeTable } from './code.ts';

/** Codes owned by the engine area. Append only; never renumber. */
export const ENGINE_CODES = {
  RS_ENGINE_E0001: {
    title: 'No provider instance for a resource',
    hint: 'Configure the provider under `providers:` or fix the resource\'s `provider` field',
  },
  RS_ENGINE_E0002: {
    title: 'Resource properties do not match the kind\'s schema',
    hint: 'Fix the property at the pointer shown; `runestone schema KIND` prints what the kind accepts',
  },
  RS_ENGINE_E0003: {
    title: 'Resource operation timed out',
    hint: 'Raise the per-node timeout or check why the provider is slow',
  },
  RS_ENGINE_E0004: {
    title: 'Live state moved since the plan was saved',
    hint: 'Run `runestone preview --out plan.json` again and review the new plan',
  },
  RS_ENGINE_E0005: {
    title: 'Configuration changed since the plan was saved',
    hint: 'Run `runestone preview --out plan.json` again, or commit without a saved plan',
  },
  RS_ENGINE_E0006: {
    title: 'Unknown target address',
    hint: 'Use an address from `runestone graph`, such as `host:file.site`',
  },
  RS_ENGINE_E0007: {
    title: 'Referenced value still unknown when the resource ran',
    hint: 'Check that the referenced resource exposes the attribute the expression reads',
  },
  RS_ENGINE_E0008: {
    title: 'Provider operation failed',
    hint: 'Read the provider\'s message; rerun with --debug for the underlying error',
  },
  RS_ENGINE_E0009: {
    title: 'Event listener failed',
    hint: 'A reporter or event writer threw; the run itself continued',
  },
  RS_ENGINE_E0010: {
    title: 'Run aborted before the resource started',
    hint: 'Run the same command again to finish the remaining work',
  },
  RS_ENGINE_E0011: {
    title: 'Provider does not serve the resource kind',
    hint: 'Check the kind name and the provider the resource uses',
  },
  RS_ENGINE_E0012: {
    title: 'Dependency did not finish',
    hint: 'Fix the failed dependency and run again',
  },
  RS_ENGINE_E0013: {
    title: 'Resource belongs to another stack',
    hint: 'Rename this resource; the existing one is owned by the stack named in the message',
  },
  RS_ENGINE_E0014: {
    title: 'Resource already exists and Runestone does not manage it',
    hint: 'Set adopt: true on the resource to take it over, or give it another name',
  },
  RS_ENGINE_I0001: { title: 'Run started' },
  RS_ENGINE_I0002: { title: 'Plan built' },
  RS_ENGINE_I0003: { title: 'Resource operation started' },
  RS_ENGINE_I0004: { title: 'Resource output' },
  RS_ENGINE_I0005: { title: 'Resource operation finished' },
  RS_ENGINE_I0006: { title: 'Run finished' },
  RS_ENGINE_I0007: { title: 'Provider call retried' },
} as const satisfies CodeTable;

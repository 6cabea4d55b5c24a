import path from 'node:path';
import { resolveModules } from '../../modules/index.ts';
import { createStyle } from '../../report/index.ts';
import { EXIT } from '../exit-codes.ts';
import { COMMON_OPTIONS, STACK_OPTIONS } from '../options.ts';
import { printWarnings } from '../print-warnings.ts';
import { loadConfig, loadStackContext } from '../stack-context.ts';
import type { Verb } from '../verb.ts';

/** `runestone bootstrap`: fetch modules, write the lock file, check providers. */
export const BOOTSTRAP_VERB: Verb = {
  name: 'bootstrap',
  summary: 'Fetch modules into runestone.lock, validate, and check every provider',
  usage: 'runestone bootstrap [-f FILE|DIR] [--upgrade]',
  description:
    'Resolves modules (git modules are cloned at their tag into .runestone/modules and pinned in runestone.lock with commit and\n' +
    'content hash, so later runs are reproducible and offline), validates the configuration, then checks that each provider is\n' +
    'configured and reachable. --upgrade re-resolves tags that moved.',
  options: [...STACK_OPTIONS, 'upgrade', ...COMMON_OPTIONS],
  examples: ['runestone bootstrap', 'runestone bootstrap --upgrade'],
  async run(ctx) {
    const style = createStyle({ color: ctx.terminal.stdout.color });
    const ok = style.paint('create', '✓');
    const out = (line: string): void => {
      ctx.terminal.stdout.write(`${line}\n`);
    };
    const { config } = loadConfig(ctx);
    const baseDir = path.resolve(ctx.cwd, config.baseDir);
    const modules = await resolveModules(config.modules, { lockDir: baseDir, stateDir: path.join(baseDir, '.runestone'), upgrade: ctx.options.upgrade, signal: ctx.signal });
    const stack = loadStackContext(ctx);
    let failed = false;
    for (const provider of stack.plan.providers) {
      const instance = stack.registry.instantiate(provider.name, provider.type, provider.config);
      const check = await instance.check({ signal: ctx.signal, stack: stack.plan.stack, baseDir, output: () => undefined, dryRun: true });
      failed ||= !check.ok;
      out(`${check.ok ? ok : style.paint('failed', '✗')} Provider ${provider.name}: ${check.summary}`);
    }
    for (const module of modules) {
      if (module.status === 'local') out(`${ok} Module ${module.name} (local ${module.source})`);
      else out(`${ok} Module ${module.name} (${module.version ?? ''}) ${module.status === 'fetched' ? 'pulled from' : 'locked at'} ${module.source} (commit ${(module.commit ?? '').slice(0, 12)})`);
    }
    if (modules.some((m) => m.status !== 'local')) out(`${ok} Wrote runestone.lock`);
    printWarnings(ctx.terminal.stderr, stack.warnings);
    out(`${ok} Configuration validated against schemas (${stack.plan.nodes.length} resource${stack.plan.nodes.length === 1 ? '' : 's'})`);
    return failed ? EXIT.failed : EXIT.ok;
  },
};

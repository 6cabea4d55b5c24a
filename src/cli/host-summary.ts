import type { NodeResult } from '../engine/index.ts';
import type { Plan } from '../plan/index.ts';
import type { UnreachableHost } from './host-targets.ts';
import type { Writer } from './terminal.ts';

/**
 * Prints one line per `--on` host after a run: how many of its host resources were done,
 * failed or skipped, or why it was left out. Nothing when the run touched only `local`.
 */
export function printHostSummary(writer: Writer, options: { readonly plan: Plan; readonly hosts: readonly string[]; readonly unreachable: readonly UnreachableHost[]; readonly results: readonly NodeResult[] }): void {
  const { plan, hosts, unreachable, results } = options;
  if (unreachable.length === 0 && hosts.every((host) => host === 'local')) return;
  const hostTypes = new Set(plan.providers.filter((p) => p.type === 'host').map((p) => p.name));
  const providerOf = new Map(plan.nodes.map((node) => [node.id as string, node.provider]));
  const counts = new Map<string, { done: number; failed: number; skipped: number }>(hosts.map((host) => [host, { done: 0, failed: 0, skipped: 0 }]));
  for (const result of results) {
    const provider = providerOf.get(result.nodeId);
    if (provider === undefined || !hostTypes.has(provider)) continue;
    const at = provider.lastIndexOf('@');
    const tally = counts.get(at === -1 ? 'local' : provider.slice(at + 1));
    if (tally !== undefined) tally[result.status] += 1;
  }
  const width = Math.max(...[...counts.keys(), ...unreachable.map((u) => u.host)].map((name) => name.length));
  const lines = [...counts].map(([host, tally]) => {
    const parts = [`${tally.done} done`, ...(tally.failed > 0 ? [`${tally.failed} failed`] : []), ...(tally.skipped > 0 ? [`${tally.skipped} skipped`] : [])];
    return `  ${host.padEnd(width)}  ${tally.failed > 0 ? 'failed' : 'ok'}: ${parts.join(', ')}`;
  });
  for (const { host, error } of unreachable) lines.push(`  ${host.padEnd(width)}  unreachable: ${error.code}`);
  writer.write(`\nHosts:\n${lines.join('\n')}\n`);
}

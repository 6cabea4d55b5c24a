import { ConfigError } from '../core/errors.ts';
import { didYouMean } from './did-you-mean.ts';
import { LOCAL_HOST, type Inventory } from './inventory.ts';

/**
 * Resolves `--on` values to host names, in inventory order with `local` first, without
 * duplicates. Each value is a comma-separated list of selectors:
 * - `local`: this machine, no SSH (the default when there is no `--on`);
 * - `NAME`: one inventory host;
 * - `group:NAME`: the hosts of an inventory group;
 * - `LABEL=VALUE`: the hosts whose label has that value.
 *
 * Throws `ConfigError` `RS_HOST_E0037` for a selector that names no host (with a did-you-mean
 * hint) and when a remote selector is used without an inventory.
 */
export function selectTargets(inventory: Inventory | undefined, on: readonly string[]): readonly string[] {
  const selectors = on.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  if (selectors.length === 0) return [LOCAL_HOST];
  const chosen = new Set<string>();
  for (const selector of selectors) {
    if (selector === LOCAL_HOST) {
      chosen.add(LOCAL_HOST);
      continue;
    }
    if (inventory === undefined) {
      throw new ConfigError('RS_HOST_E0037', `Cannot select "${selector}": no inventory was loaded`, { hint: 'Pass -i inventory.yaml (or create inventory.yaml) to target remote hosts' });
    }
    for (const name of matchSelector(inventory, selector)) chosen.add(name);
  }
  const order = [LOCAL_HOST, ...(inventory?.hosts.map((host) => host.name) ?? [])];
  return order.filter((name) => chosen.has(name));
}

function matchSelector(inventory: Inventory, selector: string): readonly string[] {
  const names = inventory.hosts.map((host) => host.name);
  if (selector.startsWith('group:')) {
    const group = selector.slice('group:'.length);
    const members = inventory.groups.get(group);
    if (members !== undefined) return members;
    const suggestion = didYouMean(group, [...inventory.groups.keys()]);
    throw new ConfigError('RS_HOST_E0037', `Cannot select "${selector}": the inventory has no group "${group}"`, {
      hint: suggestion === undefined ? `Groups: ${[...inventory.groups.keys()].join(', ') || '(none)'}` : `Did you mean "group:${suggestion}"?`,
    });
  }
  const eq = selector.indexOf('=');
  if (eq > 0) {
    const label = selector.slice(0, eq);
    const value = selector.slice(eq + 1);
    const matched = inventory.hosts.filter((host) => host.labels[label] === value).map((host) => host.name);
    if (matched.length > 0) return matched;
    throw new ConfigError('RS_HOST_E0037', `Cannot select "${selector}": no host has label "${label}" set to "${value}"`);
  }
  if (names.includes(selector)) return [selector];
  const suggestion = didYouMean(selector, [LOCAL_HOST, ...names]);
  throw new ConfigError('RS_HOST_E0037', `Cannot select "${selector}": the inventory has no host of that name`, {
    ...(suggestion === undefined ? {} : { hint: `Did you mean "${suggestion}"?` }),
  });
}

import { ProviderError } from '../core/errors.ts';
import type { PlanNode } from '../plan/ir.ts';
import type { FieldDiff, KindHandler, LiveState } from '../providers/contract.ts';

/** The pseudo-field an adoption diff is reported on. */
export const OWNER_PATH = '/runestone:owner';

/**
 * Ownership rules for kinds that mark what they create: a resource another stack owns is
 * never touched (RS_ENGINE_E0013); an unmarked one is taken over only with `adopt: true`
 * (RS_ENGINE_E0014 otherwise), and then shows as an update that writes the markers.
 *
 * `interrupted` says this stack started creating the node and never finished (a killed
 * run, noted in the snapshot cache): an unmarked resource at its identity is then what that
 * create half-made, and is taken over the same way without `adopt: true`.
 */
export function checkOwnership(handler: KindHandler, node: PlanNode, live: LiveState | undefined, stack: string, interrupted = false): FieldDiff[] {
  if (handler.marksOwnership !== true || live === undefined) return [];
  if (live.owner !== undefined) {
    if (live.owner.stack === stack) return [];
    throw new ProviderError('RS_ENGINE_E0013', `Cannot manage "${node.id}": "${live.identity}" belongs to stack "${live.owner.stack}" (as ${live.owner.address})`, {
      location: node.origin,
      hint: 'Rename this resource; Runestone never changes what another stack owns',
    });
  }
  if (interrupted) {
    return [{ path: OWNER_PATH, before: undefined, after: stack, forcesReplace: false, description: 'was left unmarked by an interrupted create of this stack (marking it now)' }];
  }
  if (!node.adopt) {
    throw new ProviderError('RS_ENGINE_E0014', `Cannot create "${node.id}": "${live.identity}" already exists and is not managed by Runestone`, {
      location: node.origin,
      hint: 'Set adopt: true on this resource to take the existing one over, or give it another name',
    });
  }
  return [{ path: OWNER_PATH, before: undefined, after: stack, forcesReplace: false, description: 'is not marked as owned by this stack yet (adopt: true takes it over)' }];
}

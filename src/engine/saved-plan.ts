import { PlanError } from '../core/errors.ts';
import type { ChangeSet } from './changes.ts';

/** What a saved plan (`preview --out plan.json`) carries for `commit` to check. */
export interface SavedPlanCheck {
  readonly configHash: string;
  readonly liveFingerprints: Readonly<Record<string, string>>;
}

/** A saved plan no longer matches live state; `moved` lists the addresses that changed. */
export class StalePlanError extends PlanError {
  readonly moved: readonly string[];
  constructor(moved: readonly string[]) {
    const shown = moved.slice(0, 10).map((a) => `"${a}"`).join(', ');
    const more = moved.length > 10 ? ` and ${moved.length - 10} more` : '';
    super('RS_ENGINE_E0004', `Cannot commit the saved plan: live state moved since it was saved for ${shown}${more}`);
    this.moved = moved;
  }
}

/**
 * Checks that a saved plan still applies: same config hash, and every address has the
 * same live fingerprint now (none appeared or vanished).
 *
 * Throws `PlanError` `RS_ENGINE_E0005` when the configuration changed and
 * {@link StalePlanError} `RS_ENGINE_E0004` naming the moved addresses.
 */
export function checkSavedPlan(saved: SavedPlanCheck, configHash: string, current: ChangeSet): void {
  if (saved.configHash !== configHash) {
    throw new PlanError('RS_ENGINE_E0005', `Cannot commit the saved plan: the configuration changed since it was saved (hash "${short(saved.configHash)}", now "${short(configHash)}")`);
  }
  const addresses = new Set([...Object.keys(saved.liveFingerprints), ...Object.keys(current.liveFingerprints)]);
  const moved = [...addresses].filter((a) => saved.liveFingerprints[a] !== current.liveFingerprints[a]).sort();
  if (moved.length > 0) throw new StalePlanError(moved);
}

function short(hash: string): string {
  return hash.slice(0, 12);
}

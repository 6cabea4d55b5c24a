import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RunestoneError } from '../core/errors.ts';
import { isPlainObject } from '../core/json.ts';
import type { SavedPlanCheck } from '../engine/index.ts';

/** The `kind` of a plan file written by `preview --out`. */
export const SAVED_PLAN_KIND = 'SavedPlan';

/** Reads a plan file for `commit --plan`, checking it belongs to `stack`. */
export function readSavedPlan(file: string, cwd: string, stack: string): SavedPlanCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch (error) {
    throw new RunestoneError('RS_CLI_E0004', `Cannot read plan file "${file}": ${(error as Error).message}`, { cause: error });
  }
  if (!isPlainObject(parsed) || parsed['kind'] !== SAVED_PLAN_KIND || typeof parsed['configHash'] !== 'string' || !isPlainObject(parsed['liveFingerprints'])) {
    throw new RunestoneError('RS_CLI_E0004', `Invalid plan file "${file}": expected a document written by runestone preview --out`);
  }
  if (parsed['stack'] !== stack) {
    throw new RunestoneError('RS_CLI_E0004', `Cannot use plan file "${file}": it was saved for stack "${String(parsed['stack'])}", not "${stack}"`);
  }
  return { configHash: parsed['configHash'], liveFingerprints: parsed['liveFingerprints'] as Record<string, string> };
}

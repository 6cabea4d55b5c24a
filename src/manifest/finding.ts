import type { RegisteredCode } from '../core/codes/index.ts';
import { RunestoneError } from '../core/errors.ts';
import type { SourceLocation } from '../core/location.ts';
import type { RuleLevel } from './rules.ts';

/** One broken rule, found in one manifest (or between several). */
export interface Finding {
  /** A built-in rule id (src/manifest/rules.ts) or a team rule's id. */
  readonly rule: string;
  /** `must` fails validation (exit 2); `should` warns. */
  readonly level: RuleLevel;
  readonly code: RegisteredCode;
  readonly message: string;
  readonly location?: SourceLocation;
  readonly hint?: string;
}

/** True when any finding breaks a `must` rule. */
export function hasMustFindings(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.level === 'must');
}

/** A finding as a Runestone error, for the diagnostics printer (code frame, hint). */
export function findingToError(finding: Finding): RunestoneError {
  return new RunestoneError(finding.code, `[${finding.rule}] ${finding.message}`, {
    ...(finding.location === undefined ? {} : { location: finding.location }),
    ...(finding.hint === undefined ? {} : { hint: finding.hint }),
  });
}

/** Orders findings by file, line and column, so output is stable. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
      a.rule.localeCompare(b.rule),
  );
}

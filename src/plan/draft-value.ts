import { ExprError } from '../core/errors.ts';
import type { JsonValue } from '../core/json.ts';
import type { SourceLocation } from '../core/location.ts';
import type { Locator } from '../config/index.ts';
import { compileAt, evaluateTemplate, parseTemplate, TemplateSyntaxError, type LocateInString, type Template } from '../expr/index.ts';

/** A reference by name inside a pending expression, with where it is written. */
export interface PendingReference {
  readonly name: string;
  readonly location: SourceLocation;
}

/** A string whose expressions read `res`: evaluated once the references are resolved. */
export interface PendingValue {
  readonly kind: 'pending';
  readonly template: Template;
  readonly scope: Readonly<Record<string, unknown>>;
  readonly locate: LocateInString;
  readonly location: SourceLocation;
  readonly references: readonly PendingReference[];
}

/** A value during expansion: JSON with pending leaves. */
export type DraftValue = JsonValue | PendingValue | readonly DraftValue[] | { readonly [key: string]: DraftValue };

/** True for a pending leaf. */
export function isPending(value: unknown): value is PendingValue {
  return value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'pending' && 'template' in value;
}

/** Whether `res` references are allowed where a value is evaluated. */
export type ReferencePolicy = 'allow' | { readonly forbidReason: string };

/**
 * Evaluates every `${}` string inside a YAML value in `scope`. Strings that read `res`
 * become pending values (when allowed); the rest are evaluated now. Throws located errors.
 */
export function evaluateValue(value: unknown, at: Locator, scope: Readonly<Record<string, unknown>>, policy: ReferencePolicy): DraftValue {
  if (typeof value === 'string') return evaluateString(value, at, scope, policy);
  if (Array.isArray(value)) return value.map((item: unknown, i) => evaluateValue(item, at.child(i), scope, policy));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, DraftValue> = {};
    for (const [key, item] of Object.entries(value)) out[key] = evaluateValue(item, at.child(key), scope, policy);
    return out;
  }
  return (value ?? null) as JsonValue;
}

/** Evaluates one string; see `evaluateValue`. */
export function evaluateString(raw: string, at: Locator, scope: Readonly<Record<string, unknown>>, policy: ReferencePolicy): DraftValue {
  let template: Template | undefined;
  try {
    template = parseTemplate(raw);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) {
      throw new ExprError('RS_EXPR_E0003', `Cannot parse "${raw}": ${error.message}`, {
        location: at.locationInString(error.offset, 2),
        hint: 'Close the expression with } or write $${ for a literal ${',
      });
    }
    throw error;
  }
  if (template === undefined) return raw;
  const locate: LocateInString = (offset, length) => at.locationInString(offset, length);
  const references: PendingReference[] = [];
  for (const part of template.parts) {
    if (part.kind !== 'expr') continue;
    const compiled = compileAt(part.source, part.offset, locate);
    for (const ref of compiled.references) {
      references.push({ name: ref.name, location: locate(part.offset + ref.start, ref.end - ref.start) });
    }
  }
  if (references.length === 0) return evaluateTemplate(template, scope, locate);
  if (policy !== 'allow') {
    const first = references[0];
    throw new ExprError('RS_EXPR_E0008', `Cannot use a resource reference in ${policy.forbidReason}: "${raw}" reads res.${first?.name ?? ''}`, {
      ...(first === undefined ? {} : { location: first.location }),
      hint: 'count, for_each, when, names, providers and module inputs must be known before any resource exists',
    });
  }
  return { kind: 'pending', template, scope, locate, location: at.location(), references };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ASTNode } from '@marcbachmann/cel-js';
import { issuesToErrors, Locator, SourceFile } from '../config/index.ts';
import { ExprError, RunestoneAggregateError, RunestoneError } from '../core/errors.ts';
import type { JsonObject } from '../core/json.ts';
import { compileAt, toCel, toExprError, type CompiledExpression } from '../expr/index.ts';
import { compileSchema } from '../schema/index.ts';
import type { Finding } from './finding.ts';
import { displayPath } from './load-manifests.ts';
import type { Manifest } from './parse-manifest.ts';
import { MANIFEST_RULES, type ManifestRule, type RuleLevel } from './rules.ts';

/** The file auto-loaded (from the working directory) when no `--rules` is given. */
export const DEFAULT_RULES_FILE = '.runestone/manifest-rules.yaml';

/** The variable a team rule's `check` reads: the manifest as parsed, defaults applied. */
export const RULE_SCOPE_VARIABLE = 'manifest';

/**
 * JSON Schema of a team rules file (`--rules FILE`, `.runestone/manifest-rules.yaml`).
 * Published as schemas/manifest-rules.schema.json.
 */
export const MANIFEST_RULES_FILE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://runestone.dev/schemas/manifest-rules.schema.json',
  title: 'ManifestRules',
  description: "A team's own rules for project manifests (.infra.yaml), checked after the built-in ones",
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'level', 'text', 'check'],
        properties: {
          id: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', description: 'Stable id shown in findings; must not be a built-in rule id.' },
          level: { type: 'string', enum: ['must', 'should'], description: 'must: a broken rule fails (exit 2); should: it warns.' },
          text: { type: 'string', minLength: 1, description: 'What the rule asks, shown in each finding.' },
          rationale: { type: 'string', description: 'Why, shown as the finding hint.' },
          applies_to: {
            type: 'object',
            additionalProperties: false,
            description: 'Only manifests matching every listed field are checked (a field lists the values it accepts).',
            properties: {
              environment: { type: 'array', minItems: 1, items: { type: 'string', enum: ['dev', 'prod'] } },
              provider: { type: 'array', minItems: 1, items: { type: 'string', enum: ['digitalocean', 'mac', 'bare-metal', 'local'] } },
              project: { type: 'array', minItems: 1, items: { type: 'string' } },
            },
          },
          check: {
            type: 'string',
            minLength: 1,
            description: 'A CEL expression over `manifest` (the parsed manifest, defaults applied) that must be true, e.g. !has(manifest.service) || manifest.service.port >= 1024',
          },
        },
      },
    },
  },
} as const satisfies JsonObject;

/** A rule a team added, with its compiled check. */
export interface TeamRule extends Omit<ManifestRule, 'source'> {
  readonly source: 'team';
  readonly appliesTo: { readonly environment?: readonly string[]; readonly provider?: readonly string[]; readonly project?: readonly string[] };
  readonly check: CompiledExpression;
  /** Where the rule is declared (its `id`), for findings about the rule itself. */
  readonly at: Locator;
}

interface RawRule {
  readonly id: string;
  readonly level: RuleLevel;
  readonly text: string;
  readonly rationale?: string;
  readonly applies_to?: TeamRule['appliesTo'];
  readonly check: string;
}

const checkFile = compileSchema(MANIFEST_RULES_FILE_SCHEMA);
const BUILTIN_IDS: ReadonlySet<string> = new Set(MANIFEST_RULES.map((rule) => rule.id));

/**
 * Parses a team rules file. Throws located errors (several as `RunestoneAggregateError`):
 * YAML and schema errors, `RS_MANIFEST_E0006` for an id that clashes with a built-in rule or
 * another team rule, `RS_EXPR_E0001` for a `check` that does not parse (at its column).
 */
export function parseTeamRules(file: string, text: string, alreadyLoaded: readonly TeamRule[] = []): TeamRule[] {
  const { documents } = SourceFile.parse(file, text);
  const doc = documents[0];
  if (doc === undefined) throw new RunestoneError('RS_MANIFEST_E0006', `Invalid rules file "${file}": the file is empty`, { location: { file, line: 1, column: 1 } });
  const at = new Locator(doc.source, `/${String(doc.index)}`);
  const issues = checkFile(doc.value);
  if (issues.length > 0) throw new RunestoneAggregateError(issuesToErrors(issues, doc.value, at, `rules file "${file}"`));
  const raw = (doc.value as { readonly rules: readonly RawRule[] }).rules;
  const errors: RunestoneError[] = [];
  const rules: TeamRule[] = [];
  const seen = new Map<string, string>(alreadyLoaded.map((rule) => [rule.id, rule.at.keyLocation().file]));
  raw.forEach((rule, index) => {
    const ruleAt = at.child('rules').child(index);
    if (BUILTIN_IDS.has(rule.id)) {
      errors.push(
        new RunestoneError('RS_MANIFEST_E0006', `Team rule id "${rule.id}" clashes with the built-in rule of that id`, {
          location: ruleAt.child('id').location(),
          hint: `Built-in ids: ${[...BUILTIN_IDS].join(', ')}; prefix team rules, e.g. "team_${rule.id}"`,
        }),
      );
      return;
    }
    const previous = seen.get(rule.id);
    if (previous !== undefined) {
      errors.push(new RunestoneError('RS_MANIFEST_E0006', `Team rule id "${rule.id}" is declared twice (also in ${previous})`, { location: ruleAt.child('id').location(), hint: 'Give each rule its own id' }));
      return;
    }
    seen.set(rule.id, file);
    const checkAt = ruleAt.child('check');
    let check: CompiledExpression;
    try {
      check = compileAt(rule.check, 0, (offset, length) => checkAt.locationInString(offset, length));
    } catch (error) {
      const parsed = error as ExprError;
      const cause = parsed.cause instanceof Error ? (parsed.cause.message.split('\n')[0] ?? '') : parsed.message;
      errors.push(
        new ExprError(parsed.code, `Cannot parse check "${rule.check}" of team rule "${rule.id}": ${cause}`, {
          ...(parsed.location === undefined ? {} : { location: parsed.location }),
          hint: 'A check is a CEL expression over manifest, e.g. !has(manifest.service) || manifest.service.port >= 1024',
          cause: error,
        }),
      );
      return;
    }
    const unknown = [...check.identifiers].filter((name) => name !== RULE_SCOPE_VARIABLE && !boundNames(check.ast).has(name));
    if (unknown.length > 0) {
      errors.push(
        new ExprError('RS_EXPR_E0004', `Check of team rule "${rule.id}" reads unknown variable "${unknown[0] ?? ''}"`, {
          location: checkAt.location(),
          hint: `A check reads one variable, ${RULE_SCOPE_VARIABLE}: e.g. has(manifest.database)`,
        }),
      );
      return;
    }
    rules.push({
      id: rule.id,
      level: rule.level,
      text: rule.text,
      ...(rule.rationale === undefined ? {} : { rationale: rule.rationale }),
      source: 'team',
      appliesTo: rule.applies_to ?? {},
      check,
      at: ruleAt,
    });
  });
  if (errors.length === 1 && errors[0] !== undefined) throw errors[0];
  if (errors.length > 0) throw new RunestoneAggregateError(errors);
  return rules;
}

/**
 * Reads the team rules of `files` (`--rules`, in order); with none given, the default file
 * `.runestone/manifest-rules.yaml` in `cwd` when it exists. Throws RS_MANIFEST_E0006 for an
 * unreadable file named explicitly, and what {@link parseTeamRules} throws.
 */
export function loadTeamRules(files: readonly string[], options: { readonly cwd: string }): TeamRule[] {
  const isExplicit = files.length > 0;
  const rules: TeamRule[] = [];
  for (const given of isExplicit ? files : [DEFAULT_RULES_FILE]) {
    const full = path.resolve(options.cwd, given);
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      if (!isExplicit && code === 'ENOENT') return [];
      throw new RunestoneError('RS_MANIFEST_E0006', `Cannot read rules file "${given}": ${code === 'ENOENT' ? 'it does not exist' : code}`, { cause: error });
    }
    rules.push(...parseTeamRules(displayPath(full, options.cwd), text, rules));
  }
  return rules;
}

/** The manifest as a team rule's `check` sees it: the document's keys, defaults applied. */
export function manifestScope(manifest: Manifest): JsonObject {
  return {
    apiVersion: 'infra/v1',
    project: manifest.project,
    environment: manifest.environment,
    provider: manifest.provider,
    ...(manifest.database === undefined ? {} : { database: { ...manifest.database } }),
    ...(manifest.service === undefined ? {} : { service: { ...manifest.service } }),
    ...(manifest.gpu === undefined ? {} : { gpu: { ...manifest.gpu } }),
    depends_on: [...manifest.dependsOn],
  };
}

/**
 * Checks every manifest against the team's rules. A check that is false is a finding of the
 * rule's level at the field it names first (else the document); a check that fails to
 * evaluate or yields no boolean is a finding too (`RS_MANIFEST_E0007`/`W0003`).
 */
export function checkTeamRules(manifests: readonly Manifest[], rules: readonly TeamRule[]): Finding[] {
  const out: Finding[] = [];
  for (const manifest of manifests) {
    const value = manifestScope(manifest);
    const scope = { [RULE_SCOPE_VARIABLE]: toCel(value) };
    for (const rule of rules) {
      if (!applies(rule, manifest)) continue;
      let result: unknown;
      let failure: string | undefined;
      try {
        result = rule.check.evaluate(scope);
      } catch (error) {
        // The cause, located inside the rule's `check` (the expression is not a `${}` template).
        const located = toExprError(error, rule.check.source, 0, (offset, length) => rule.at.child('check').locationInString(offset, length), 'evaluate', [RULE_SCOPE_VARIABLE]);
        const cause = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
        failure = `check "${rule.check.source}" failed: ${cause} (${formatAt(located.location)})`;
      }
      if (failure === undefined && typeof result !== 'boolean') failure = `Check "${rule.check.source}" of rule "${rule.id}" yields ${describe(result)}, not a boolean (${formatAt(rule.at.child('check').location())})`;
      const location = locateField(rule.check.ast, value, manifest);
      if (failure !== undefined) {
        out.push({
          rule: rule.id,
          level: rule.level,
          code: rule.level === 'must' ? 'RS_MANIFEST_E0007' : 'RS_MANIFEST_W0003',
          message: `Team rule "${rule.id}" could not be checked on project "${manifest.project}": ${failure}`,
          location,
          hint: 'Guard optional blocks with has(), e.g. !has(manifest.service) || manifest.service.port >= 1024',
        });
      } else if (result === false) {
        out.push({
          rule: rule.id,
          level: rule.level,
          code: rule.level === 'must' ? 'RS_MANIFEST_E0001' : 'RS_MANIFEST_W0001',
          message: `Project "${manifest.project}" breaks team rule: ${rule.text}`,
          location,
          ...(rule.rationale === undefined ? {} : { hint: rule.rationale }),
        });
      }
    }
  }
  return out;
}

function applies(rule: TeamRule, manifest: Manifest): boolean {
  const { environment, provider, project } = rule.appliesTo;
  return (environment?.includes(manifest.environment) ?? true) && (provider?.includes(manifest.provider) ?? true) && (project?.includes(manifest.project) ?? true);
}

function formatAt(location: { readonly file: string; readonly line: number; readonly column: number } | undefined): string {
  return location === undefined ? 'rules file' : `${location.file}:${String(location.line)}:${String(location.column)}`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return `the number ${String(value)}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

/**
 * Where a finding of a team rule points: the deepest field that exists among the
 * `manifest.a.b…` paths the check names (the first named on a tie), else the document's start.
 */
function locateField(ast: ASTNode, value: JsonObject, manifest: Manifest): ReturnType<Locator['location']> {
  const paths: { readonly start: number; readonly path: readonly string[] }[] = [];
  collectPaths(ast, paths);
  let pointer = '';
  let depth = -1;
  for (const candidate of paths.sort((a, b) => a.start - b.start)) {
    let here = '';
    let current: unknown = value;
    let found = 0;
    for (const key of candidate.path) {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !(key in current)) break;
      current = (current as Record<string, unknown>)[key];
      here += `/${key}`;
      found += 1;
    }
    // The deepest field that exists wins; among equals, the one named first.
    if (found > depth) {
      depth = found;
      pointer = here;
    }
  }
  // Defaults (environment) and computed values have no place in the file: fall back to the root.
  if (pointer === '/environment' && !manifest.isEnvironmentDeclared) pointer = '';
  if (pointer !== '') return manifest.at.at(pointer).location();
  const start = manifest.at.location();
  return { file: start.file, line: start.line, column: start.column, ...(start.chain === undefined ? {} : { chain: start.chain }) };
}

function collectPaths(node: ASTNode, out: { start: number; path: readonly string[] }[]): void {
  const chain = memberChain(node);
  if (chain !== undefined) {
    out.push({ start: node.range.start, path: chain });
    return;
  }
  const args: unknown = node.args;
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) item.forEach(visit);
    else if (item !== null && typeof item === 'object' && 'op' in item && 'range' in item) collectPaths(item as ASTNode, out);
  };
  if (node.op !== 'id' && node.op !== 'value') visit(args);
}

const MACROS: ReadonlySet<string> = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** Names bound by comprehension macros (`list.all(x, ...)`), which are not scope variables. */
function boundNames(node: ASTNode, out = new Set<string>()): Set<string> {
  if (node.op === 'rcall') {
    const [method, , args] = node.args;
    const first = args[0];
    if (MACROS.has(method) && first?.op === 'id') out.add(first.args);
  }
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) item.forEach(visit);
    else if (item !== null && typeof item === 'object' && 'op' in item && 'range' in item) boundNames(item as ASTNode, out);
  };
  if (node.op !== 'id' && node.op !== 'value') visit(node.args);
  return out;
}

/** `manifest.a.b` (also inside `has()`) as ['a', 'b']; `undefined` for anything else. */
function memberChain(node: ASTNode): string[] | undefined {
  if (node.op === 'id') return node.args === RULE_SCOPE_VARIABLE ? [] : undefined;
  if (node.op === '.' || node.op === '.?') {
    const [target, field] = node.args;
    const inner = memberChain(target);
    return inner === undefined ? undefined : [...inner, field];
  }
  if (node.op === '[]' || node.op === '[?]') {
    const [target, index] = node.args;
    const inner = memberChain(target);
    return inner === undefined || index.op !== 'value' || typeof index.args !== 'string' ? undefined : [...inner, index.args];
  }
  return undefined;
}

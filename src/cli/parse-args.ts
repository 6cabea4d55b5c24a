import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { RunestoneError } from '../core/errors.ts';
import { didYouMean } from '../config/index.ts';
import { OPTION_SPECS, type CliOptions } from './options.ts';

/** Parses a verb's arguments with the option table; unknown options are usage errors. */
export function parseVerbArgs(argv: readonly string[], allowed: readonly (keyof CliOptions)[], verb: string): { options: CliOptions; args: string[] } {
  const config: ParseArgsOptionsConfig = {};
  for (const key of allowed) {
    const spec = OPTION_SPECS[key];
    config[spec.flag] = { type: spec.type, ...(spec.short === undefined ? {} : { short: spec.short }), ...(spec.multiple === true ? { multiple: true } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const flags = allowed.map((key) => `--${OPTION_SPECS[key].flag}`);
    const suggestion = unknown === undefined ? undefined : didYouMean(unknown, flags);
    throw new RunestoneError('RS_CLI_E0001', unknown === undefined ? `Invalid arguments for "${verb}": ${message.split('.')[0] ?? message}` : `Unknown option "${unknown}" for "runestone ${verb}"`, {
      hint: suggestion === undefined ? `Run \`runestone ${verb} --help\` to see its options` : `Did you mean "${suggestion}"?`,
    });
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const pick = (key: keyof CliOptions): unknown => values[OPTION_SPECS[key].flag];
  const list = (key: keyof CliOptions): string[] => {
    const value = pick(key);
    return Array.isArray(value) ? (value as string[]) : [];
  };
  const text = (key: keyof CliOptions): string | undefined => {
    const value = pick(key);
    return typeof value === 'string' ? value : undefined;
  };
  const flag = (key: keyof CliOptions): boolean => pick(key) === true;
  const options: CliOptions = {
    file: list('file'),
    var: list('var'),
    varFile: list('varFile'),
    output: text('output'),
    out: text('out'),
    plan: text('plan'),
    events: text('events'),
    target: list('target'),
    inventory: text('inventory'),
    on: list('on'),
    parallelism: text('parallelism'),
    timeout: text('timeout'),
    yes: flag('yes'),
    detectChanges: flag('detectChanges'),
    graph: flag('graph'),
    autoHeal: text('autoHeal'),
    watch: flag('watch'),
    interval: text('interval'),
    format: text('format'),
    list: flag('list'),
    upgrade: flag('upgrade'),
    mesh: text('mesh'),
    roots: list('roots'),
    tags: list('tags').flatMap(splitList),
    skipTags: list('skipTags').flatMap(splitList),
    check: flag('check'),
    rules: list('rules'),
    offline: flag('offline'),
    debug: flag('debug'),
    noColor: flag('noColor'),
    help: flag('help'),
    version: flag('version'),
  };
  return { options, args: parsed.positionals };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Parses `30s`, `5m`, `1h`, `250ms` or plain seconds into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) {
    throw new RunestoneError('RS_CLI_E0002', `Invalid duration for --${flag}: "${text}"`, { hint: 'Write a number with a unit: 500ms, 30s, 5m or 1h' });
  }
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  const scale = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(value * scale);
}

/** Parses a positive integer option. */
export function parsePositiveInt(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new RunestoneError('RS_CLI_E0002', `Invalid value for --${flag}: "${text}"`, { hint: 'Give a whole number of at least 1' });
  }
  return value;
}

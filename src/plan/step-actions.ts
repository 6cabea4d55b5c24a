import path from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { isPlainObject } from '../core/json.ts';
import type { Locator, StepsItem } from '../config/index.ts';

/** A step's action as a host kind and its properties (expressions already evaluated). */
export interface CompiledAction {
  readonly kind: 'host:assert' | 'host:command' | 'host:copy' | 'host:directory' | 'host:download' | 'host:file' | 'host:link' | 'host:template' | 'host:unarchive';
  readonly properties: Record<string, unknown>;
  /** Where the properties come from, for schema errors. */
  readonly at: Locator;
}

type Step = Extract<StepsItem, { kind: 'step' }>;

/** POSIX single-quoting: the value is passed to the shell as exactly one word. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Seconds from `30`, `"30s"`, `"5m"`, `"1h"`, `"250ms"`. */
export function toSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([0-9]+)(ms|s|m|h)$/.exec(value);
  if (match === null) return undefined;
  const n = Number(match[1]);
  const unit = match[2];
  return unit === 'ms' ? n / 1000 : unit === 'm' ? n * 60 : unit === 'h' ? n * 3600 : n;
}

/**
 * Maps an evaluated step onto a host kind: shell and command become `host:command`, file
 * becomes `host:file`, `host:directory` or `host:link` (touch, absent and perms become
 * guarded commands), template becomes `host:template`. Relative paths of steps written in an
 * included file resolve from that file's directory. Throws located `ConfigError`s.
 *
 * @param step The step as loaded.
 * @param value The step with every expression evaluated.
 */
export function compileAction(step: Step, value: Readonly<Record<string, unknown>>, options: { readonly baseDir: string; readonly templateVars: Record<string, unknown> }): CompiledAction {
  const at = step.at.child(step.action);
  const local = (p: unknown): string => {
    const text = String(p);
    // The root file's relative paths stay relative (the host kinds resolve them from the config
    // directory); an included file's are made absolute from its own directory.
    return path.isAbsolute(text) || step.dir === options.baseDir ? text : path.resolve(step.dir, text);
  };
  const common = (action: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const env = { ...stringMap(value['env']), ...stringMap(action['env']) };
    // A command from an included file in another directory runs there, as its paths read.
    const cwd = action['cwd'] ?? value['cwd'] ?? (step.dir === options.baseDir ? undefined : step.dir);
    const timeout = toSeconds(action['timeout'] ?? value['timeout']);
    return {
      ...(Object.keys(env).length > 0 ? { env } : {}),
      ...(cwd === undefined ? {} : { cwd: local(cwd) }),
      ...(timeout === undefined ? {} : { timeout }),
      ...(value['creates'] === undefined ? {} : { creates: local(value['creates']) }),
      ...(typeof value['unless'] === 'string' ? { unless: value['unless'] } : {}),
    };
  };
  switch (step.action) {
    case 'shell': {
      const raw = value['shell'];
      const action = isPlainObject(raw) ? raw : { cmd: raw };
      let run = String(action['cmd']);
      if (action['interpreter'] === 'bash') run = `exec bash -c ${shellQuote(run)}`;
      if (typeof action['stdin'] === 'string') run = `printf '%s' ${shellQuote(action['stdin'])} | { ${run}\n}`;
      return { kind: 'host:command', properties: { run, ...common(action) }, at };
    }
    case 'command': {
      const action = value['command'] as Record<string, unknown>;
      return { kind: 'host:command', properties: { argv: action['argv'], ...common(action) }, at };
    }
    case 'template': {
      const action = value['template'] as Record<string, unknown>;
      const body = typeof action['src'] === 'string' ? { source: local(action['src']) } : typeof action['content'] === 'string' ? { template: action['content'] } : undefined;
      if (body === undefined) throw new ConfigError('RS_CONFIG_E0005', 'Missing required key "src" in template', { location: at.location(), hint: 'Give src: (a template file) or content: (inline text)' });
      return {
        kind: 'host:template',
        properties: {
          path: local(action['dest']),
          ...body,
          vars: { ...options.templateVars, ...(isPlainObject(action['vars']) ? action['vars'] : {}) },
          ...pick(action, ['mode', 'newline']),
        },
        at,
      };
    }
    case 'copy': {
      const action = value['copy'] as Record<string, unknown>;
      return { kind: 'host:copy', properties: { path: local(action['dest']), source: local(action['src']), ...pick(action, ['mode', 'backup']) }, at };
    }
    case 'download': {
      const action = value['download'] as Record<string, unknown>;
      const timeout = toSeconds(action['timeout'] ?? value['timeout']);
      const retryDelay = toSeconds(action['retry_delay']);
      return {
        kind: 'host:download',
        properties: {
          path: local(action['dest']),
          ...pick(action, ['url', 'sha256', 'mode', 'retries']),
          ...(isPlainObject(action['headers']) ? { headers: stringMap(action['headers']) } : {}),
          ...(timeout === undefined ? {} : { timeout }),
          ...(retryDelay === undefined ? {} : { retry_delay: retryDelay }),
        },
        at,
      };
    }
    case 'unarchive': {
      const action = value['unarchive'] as Record<string, unknown>;
      return {
        kind: 'host:unarchive',
        properties: {
          path: local(action['dest']),
          source: local(action['src']),
          ...pick(action, ['strip_components']),
          ...((action['creates'] ?? value['creates']) === undefined ? {} : { creates: local(action['creates'] ?? value['creates']) }),
        },
        at,
      };
    }
    case 'assert':
      return compileAssert(value['assert'] as Record<string, unknown>, at, local, common);
    case 'file':
      return compileFile(value['file'] as Record<string, unknown>, at, local);
    default:
      throw new ConfigError('RS_CONFIG_E0004', `Invalid step: unknown action`, { location: at.keyLocation() });
  }
}

function compileAssert(
  action: Record<string, unknown>,
  at: Locator,
  local: (p: unknown) => string,
  common: (action: Readonly<Record<string, unknown>>) => Record<string, unknown>,
): CompiledAction {
  if (isPlainObject(action['file'])) {
    const file = action['file'];
    return { kind: 'host:assert', properties: { file: { ...file, path: local(file['path']) } }, at };
  }
  if (isPlainObject(action['http'])) {
    const http = action['http'];
    const timeout = toSeconds(http['timeout']);
    return { kind: 'host:assert', properties: { http: { ...http, ...(timeout === undefined ? {} : { timeout }) } }, at };
  }
  const command = action['command'];
  // creates/unless are guards of commands that change things; an assertion only reads.
  const { creates, unless, ...settings } = common(action);
  if (creates !== undefined || unless !== undefined) {
    throw new ConfigError('RS_CONFIG_E0004', 'Invalid assert step: creates and unless guard commands that change things; an assertion always runs', { location: at.location(), hint: 'Remove creates/unless, or use when: to skip the assertion' });
  }
  return {
    kind: 'host:assert',
    properties: {
      command: { ...(Array.isArray(command) ? { argv: command } : { run: String(command) }), ...pick(action, ['rc', 'stdout_contains', 'stdout_regex']), ...settings },
    },
    at,
  };
}

function compileFile(action: Record<string, unknown>, at: Locator, local: (p: unknown) => string): CompiledAction {
  const state = typeof action['state'] === 'string' ? action['state'] : 'file';
  const target = local(action['path']);
  const mode = typeof action['mode'] === 'string' ? action['mode'] : undefined;
  const onlyFor = (key: string, states: readonly string[]): void => {
    if (action[key] !== undefined && !states.includes(state)) {
      throw new ConfigError('RS_CONFIG_E0004', `Invalid file step: "${key}" does not apply to state: ${state}`, { location: at.child(key).keyLocation(), hint: `${key} is for state: ${states.join(' or ')}` });
    }
  };
  onlyFor('content', ['file']);
  onlyFor('src', ['file', 'link']);
  onlyFor('force', ['link']);
  onlyFor('mode', ['file', 'directory', 'touch', 'perms']);
  const quoted = shellQuote(target);
  switch (state) {
    case 'file': {
      if (action['content'] !== undefined && action['src'] !== undefined) {
        throw new ConfigError('RS_CONFIG_E0004', 'Invalid file step: give content or src, not both', { location: at.child('src').keyLocation() });
      }
      const body = typeof action['src'] === 'string' ? { source: local(action['src']) } : typeof action['content'] === 'string' ? { content: action['content'] } : undefined;
      if (body === undefined) throw new ConfigError('RS_CONFIG_E0005', 'Missing required key "content" in file', { location: at.location(), hint: 'Give content: or src:, or use state: touch for an empty file' });
      return { kind: 'host:file', properties: { path: target, ...body, ...(mode === undefined ? {} : { mode }) }, at };
    }
    case 'directory':
      return { kind: 'host:directory', properties: { path: target, ...(mode === undefined ? {} : { mode }) }, at };
    case 'link': {
      if (typeof action['src'] !== 'string') throw new ConfigError('RS_CONFIG_E0005', 'Missing required key "src" in file (state: link)', { location: at.location(), hint: 'src: is what the link points at' });
      return { kind: 'host:link', properties: { path: target, target: action['src'], ...(action['force'] === true ? { force: true } : {}) }, at };
    }
    case 'touch':
      // Done once the path exists; an existing file keeps its content and times.
      return {
        kind: 'host:command',
        properties: { run: `touch -- ${quoted}${mode === undefined ? '' : ` && chmod ${mode} -- ${quoted}`}`, creates: target },
        at,
      };
    case 'absent': {
      const raw = String(action['path']).trim();
      if (raw === '' || path.posix.normalize(raw) === '/' || path.posix.normalize(target) === '/') {
        throw new ConfigError('RS_CONFIG_E0004', `Refusing file state: absent on "${raw}"`, { location: at.child('path').location(), hint: 'Name the exact path to remove; the root and an empty path are never removed' });
      }
      return { kind: 'host:command', properties: { run: `rm -rf -- ${quoted}`, unless: `test ! -e ${quoted} && test ! -L ${quoted}` }, at };
    }
    case 'perms': {
      if (mode === undefined) throw new ConfigError('RS_CONFIG_E0005', 'Missing required key "mode" in file (state: perms)', { location: at.location(), hint: 'Add mode: "0644" (octal)' });
      const bits = Number.parseInt(mode, 8).toString(8);
      return { kind: 'host:command', properties: { run: `chmod ${mode} -- ${quoted}`, unless: `test "$(stat -c %a -- ${quoted})" = ${bits}` }, at };
    }
    default:
      throw new ConfigError('RS_CONFIG_E0004', `Invalid file state "${state}"`, { location: at.child('state').location() });
  }
}

function stringMap(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) out[key] = String(item);
  return out;
}

function pick(value: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

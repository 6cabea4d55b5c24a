import path from 'node:path';
import type { ResourceBlock, VariableDecl } from '../config/index.ts';
import { ConfigError } from '../core/errors.ts';
import type { Manifest } from './parse-manifest.ts';

/** The variable naming the directory unit files go to (default `/etc/systemd/system`). */
export const UNIT_DIR_VARIABLE = 'systemd_unit_dir';
/** The variable naming the directory the env and password files go to (default `/etc/runestone`). */
export const ENV_DIR_VARIABLE = 'service_env_dir';

const DEFAULT_UNIT_DIR = '/etc/systemd/system';
const DEFAULT_ENV_DIR = '/etc/runestone';

/** The host resources a `service` block compiles to, and the variables they read. */
export interface CompiledService {
  /** The mesh host they run on (`service.host`). */
  readonly host: string;
  readonly resources: readonly ResourceBlock[];
  readonly variables: readonly VariableDecl[];
}

/** Options for {@link compileService}. */
export interface CompileServiceOptions {
  /** The manifest's directory: `systemd_unit` is looked up there. */
  readonly dir: string;
  /** Whether a file exists (injected so compiling stays free of `node:fs`). */
  readonly isFile: (absolute: string) => boolean;
  /** The name of the secret variable holding the database password. */
  readonly passwordVariable: string;
}

// libpq's password file: `:` and `\` inside a field are escaped with `\`. Host and port are
// `*` (any): the cluster's address is known only once the database has been read, and a
// template is rendered at preview.
const PGPASS_TEMPLATE = '{% macro f(v) %}{{ v | replace("\\\\", "\\\\\\\\") | replace(":", "\\\\:") }}{% endmacro %}*:*:{{ f(database) }}:{{ f(user) }}:{{ f(password) }}\n';

/**
 * Compiles a manifest's `service` block into `host` resources for `service.host`:
 *
 * - `host:file.unit`: the systemd unit at `${systemd_unit_dir}/<unit>`. When `systemd_unit`
 *   names a file in the project (relative to the manifest), that file is installed as is;
 *   otherwise a unit is generated from `runtime` and `port` under the `systemd_unit` name (or
 *   `<project>.service`, `<project>-dev.service` for dev). A `provider: mac` manifest gets
 *   no unit (macOS runs launchd).
 * - `host:file.env`: `${service_env_dir}/<stem>.env` with `PORT` and, with a `database`
 *   block, `PGHOST`/`PGPORT`/`PGDATABASE`/`PGUSER` and `PGPASSFILE`.
 * - `host:template.pgpass`: `${service_env_dir}/<stem>.pgpass`, mode 0600, libpq's password
 *   file; the password comes from the secret variable and is never in the plan's text.
 *
 * Returns `undefined` when the manifest has no `service` block or it names no host. Throws
 * `ConfigError` `RS_MANIFEST_E0005` when `systemd_unit` is a path (has a `/`) to a missing file.
 */
export function compileService(manifest: Manifest, options: CompileServiceOptions): CompiledService | undefined {
  const service = manifest.service;
  if (service?.host === undefined) return undefined;
  const at = manifest.at.child('service');
  const unitName = path.posix.basename(service.systemd_unit ?? `${manifest.project}${manifest.environment === 'prod' ? '' : `-${manifest.environment}`}.service`);
  const stem = unitName.replace(/\.service$/, '');
  const envFile = `\${${ENV_DIR_VARIABLE}}/${stem}.env`;
  const passFile = `\${${ENV_DIR_VARIABLE}}/${stem}.pgpass`;
  const resources: ResourceBlock[] = [];
  const variables: VariableDecl[] = [
    { name: UNIT_DIR_VARIABLE, value: DEFAULT_UNIT_DIR, secret: false, description: 'Directory the systemd unit file is written to', at },
    { name: ENV_DIR_VARIABLE, value: DEFAULT_ENV_DIR, secret: false, description: 'Directory the env and password files are written to', at },
  ];

  if (manifest.provider !== 'mac') {
    const unitAt = service.systemd_unit === undefined ? at : at.child('systemd_unit');
    const shipped = service.systemd_unit !== undefined && options.isFile(path.resolve(options.dir, service.systemd_unit));
    if (!shipped && service.systemd_unit?.includes('/') === true) {
      throw new ConfigError('RS_MANIFEST_E0005', `Cannot read systemd_unit "${service.systemd_unit}": no such file in the project`, { location: unitAt.location() });
    }
    resources.push({
      value: {
        kind: 'host:file',
        name: 'unit',
        properties: {
          path: `\${${UNIT_DIR_VARIABLE}}/${unitName}`,
          ...(shipped ? { source: service.systemd_unit } : { content: generateUnit(manifest, { unitName, stem, envFile }) }),
          mode: '0644',
        },
      },
      at: unitAt,
    });
  }

  const db = manifest.database;
  const lines = [`# Written by Runestone from ${manifest.file} (project "${manifest.project}", ${manifest.environment}).`];
  if (service.port !== undefined) lines.push(`PORT=${String(service.port)}`);
  if (db !== undefined) {
    lines.push('PGHOST=${res.database.host}', 'PGPORT=${res.database.port}', `PGDATABASE=${db.name}`, `PGUSER=${db.user}`, `PGPASSFILE=${passFile}`);
  }
  resources.push({ value: { kind: 'host:file', name: 'env', properties: { path: envFile, content: `${lines.join('\n')}\n`, mode: '0644' } }, at });

  if (db !== undefined) {
    resources.push({
      value: {
        kind: 'host:template',
        name: 'pgpass',
        properties: {
          path: passFile,
          template: PGPASS_TEMPLATE,
          vars: { database: db.name, user: db.user, password: `\${${options.passwordVariable}}` },
          mode: '0600',
        },
      },
      at: manifest.at.child('database'),
    });
  }
  return { host: service.host, resources, variables };
}

// A unit for a project that ships none: it runs the deploy's `start` entrypoint.
function generateUnit(manifest: Manifest, names: { readonly unitName: string; readonly stem: string; readonly envFile: string }): string {
  const runtime = manifest.service?.runtime;
  return [
    `# Generated by Runestone from ${manifest.file}: the project ships no "${names.unitName}".`,
    '[Unit]',
    `Description=${manifest.project} (${manifest.environment}${runtime === undefined ? '' : `, ${runtime}`})`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `EnvironmentFile=${names.envFile}`,
    `WorkingDirectory=/srv/${names.stem}`,
    `ExecStart=/srv/${names.stem}/start`,
    'Restart=on-failure',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

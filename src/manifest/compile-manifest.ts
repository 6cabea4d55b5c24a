import path from 'node:path';
import type { ProviderDecl, ResourceBlock, StackConfig, VariableDecl } from '../config/index.ts';
import { compileService } from './compile-service.ts';
import type { Manifest } from './parse-manifest.ts';

/** The secret variable that holds the database user's password. */
export const DATABASE_PASSWORD_VARIABLE = 'database_password';

/** Options for {@link compileManifest}. */
export interface CompileManifestOptions {
  /** The manifest's text and absolute path. */
  readonly text: string;
  readonly file: string;
  /**
   * Compile the `service` block too (when a mesh hosts file says how to reach its host);
   * `isFile` tells whether `systemd_unit` names a file in the project.
   */
  readonly service?: { readonly isFile: (absolute: string) => boolean };
}

/** A compiled manifest: its stack, and the mesh host its host resources run on. */
export interface CompiledManifest {
  readonly config: StackConfig;
  /** `service.host` when the service block compiled to host resources. */
  readonly serviceHost: string | undefined;
}

/**
 * Compiles one manifest into a stack: `project/environment` from the manifest, and for a
 * `database` block a `postgres:role` (the dedicated user, password from the secret variable
 * `database_password`) plus a `postgres:database` it owns, on the named cluster, with
 * PUBLIC's CONNECT revoked so no other service's user can reach it (own_db). With
 * `options.service`, a `service` block becomes host resources for `service.host` (see
 * `compileService`: unit file, env file, password file). `gpu` and `depends_on` compile to
 * nothing: there is no DigitalOcean provider, and dependencies are the reconciler's job.
 * Every resource points back at its manifest block for errors.
 *
 * Throws `ConfigError` `RS_MANIFEST_E0005` for a `systemd_unit` path that does not exist.
 */
export function compileManifest(manifest: Manifest, options: CompileManifestOptions): CompiledManifest {
  const resources: ResourceBlock[] = [];
  const variables = new Map<string, VariableDecl>();
  const providers: ProviderDecl[] = [];
  const db = manifest.database;
  if (db !== undefined) {
    const at = manifest.at.child('database');
    variables.set(DATABASE_PASSWORD_VARIABLE, { name: DATABASE_PASSWORD_VARIABLE, value: undefined, secret: true, description: `Password of database user "${db.user}"`, at });
    // Clusters come from RUNESTONE_POSTGRES_CLUSTERS or postgres-clusters.yaml beside the manifest.
    providers.push({ name: 'postgres', type: 'postgres', config: {}, at });
    resources.push({
      value: { kind: 'postgres:role', name: 'user', properties: { cluster: db.cluster, name: db.user, login: true, password: `\${${DATABASE_PASSWORD_VARIABLE}}` } },
      at: at.child('user'),
    });
    resources.push({
      value: {
        kind: 'postgres:database',
        name: 'database',
        properties: {
          cluster: db.cluster,
          name: db.name,
          owner: '${res.user.name}',
          privileges: [
            { role: 'PUBLIC', privileges: [] },
            { role: db.user, privileges: ['CONNECT', 'CREATE', 'TEMPORARY'] },
          ],
        },
      },
      at: at.child('name'),
    });
  }
  const service = options.service === undefined ? undefined : compileService(manifest, { dir: path.dirname(options.file), isFile: options.service.isFile, passwordVariable: DATABASE_PASSWORD_VARIABLE });
  if (service !== undefined) {
    providers.push({ name: 'host', type: 'host', config: {}, at: manifest.at.child('service') });
    resources.push(...service.resources);
    for (const variable of service.variables) variables.set(variable.name, variable);
  }
  const config: StackConfig = {
    project: manifest.project,
    environment: manifest.environment,
    variables,
    providers,
    modules: new Map(),
    resources,
    outputs: [],
    files: new Map([[manifest.file, options.text]]),
    baseDir: path.dirname(options.file),
  };
  return { config, serviceHost: service?.host };
}

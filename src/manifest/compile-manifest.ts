import path from 'node:path';
import type { ProviderDecl, ResourceBlock, StackConfig, VariableDecl } from '../config/index.ts';
import type { Manifest } from './parse-manifest.ts';

/** The secret variable that holds the database user's password. */
export const DATABASE_PASSWORD_VARIABLE = 'database_password';

/**
 * Compiles one manifest into a stack: `project/environment` from the manifest, and for a
 * `database` block a `postgres:role` (the dedicated user, password from the secret variable
 * `database_password`) plus a `postgres:database` it owns, on the named cluster, with
 * PUBLIC's CONNECT revoked so no other service's user can reach it (own_db). `service`,
 * `gpu` and `depends_on` compile to nothing: placement is the reconciler's job, the host
 * provider reaches only the local machine, and there is no DigitalOcean provider. Every
 * resource points back at the manifest's `database` block for errors.
 */
export function compileManifest(manifest: Manifest, options: { readonly text: string; readonly file: string }): StackConfig {
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
  return {
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
}

export { CLUSTERS_FILE_SCHEMA, POSTGRES_CONFIG_SCHEMA, readClusters } from './clusters.ts';
export type { ClusterConnection } from './clusters.ts';
export { DATABASE_SCHEMA } from './kinds/database.ts';
export { ROLE_SCHEMA } from './kinds/role.ts';
export { createPostgresKinds, createPostgresProvider, POSTGRES_PROVIDER_TYPE } from './provider.ts';
export type { PostgresProviderOptions } from './provider.ts';
export { scramVerifier, verifierMatches } from './scram.ts';

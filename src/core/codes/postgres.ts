import type { CodeTable } from './code.ts';

/** Codes owned by the postgres provider. Append only; never renumber. */
export const POSTGRES_CODES = {
  RS_POSTGRES_E0001: { title: 'Unknown PostgreSQL cluster', hint: 'Add the cluster to the clusters file (providers.postgres.clusters_file or RUNESTONE_POSTGRES_CLUSTERS)' },
  RS_POSTGRES_E0002: { title: 'Cannot connect to the PostgreSQL cluster', hint: 'Check host, port and TLS in the clusters file and that the cluster is up; retried automatically' },
  RS_POSTGRES_E0003: { title: 'PostgreSQL rejected the admin credentials', hint: 'Check the admin user and the password_env or password_file of the cluster' },
  RS_POSTGRES_E0004: { title: 'PostgreSQL permission denied', hint: 'The admin user needs CREATEROLE and CREATEDB (or superuser)' },
  RS_POSTGRES_E0005: { title: 'PostgreSQL statement failed' },
  RS_POSTGRES_E0006: { title: 'Invalid PostgreSQL clusters file', hint: 'See docs/providers/postgres.md for the clusters file format' },
  RS_POSTGRES_E0008: { title: 'TLS with the PostgreSQL cluster failed', hint: 'Check tls.mode and tls.ca_file in the clusters file' },
  RS_POSTGRES_E0009: { title: 'PostgreSQL statement not started: the run was aborted' },
  RS_POSTGRES_E0007: { title: 'PostgreSQL object exists and is not owned by this stack', hint: 'Set adopt: true to take it over, or pick another name' },
} as const satisfies CodeTable;

// The clusters file's tls modes against a real PostgreSQL serving a self-signed certificate.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDir, runestone, writeStack } from '../helpers/cli.ts';
import { startPostgres, type Postgres } from '../helpers/postgres.ts';

const STACK = 'project: tls\nenvironment: dev\nproviders:\n  postgres: { clusters_file: ./clusters.yaml }\nresources:\n  - kind: postgres:role\n    name: r\n    properties: { cluster: main, name: tls_role, login: false }\n';

describe('postgres provider TLS', () => {
  let pg: Postgres;
  let dir: string;
  const clusters = (tls: string): Promise<void> =>
    writeFile(path.join(dir, 'clusters.yaml'), `clusters:\n  main:\n    host: 127.0.0.1\n    port: ${String(pg.port)}\n    user: ${pg.adminUser}\n    password_env: PG_ADMIN_PASSWORD\n    tls: ${tls}\n`);
  const preview = (): ReturnType<typeof runestone> => runestone(['preview', '--detect-changes'], { cwd: dir, env: { PG_ADMIN_PASSWORD: pg.adminPassword } });

  before(async () => {
    pg = await startPostgres({ tls: true });
    dir = await writeStack({ 'runestone.yaml': STACK });
  });
  after(async () => {
    await pg.stop();
    await removeDir(dir);
  });

  test('verify-full with the CA file connects', async () => {
    await clusters(`{ mode: verify-full, ca_file: ${pg.caFile ?? ''} }`);
    const r = await preview();
    assert.equal(r.code, 4, r.out + r.err);
    assert.match(r.out, /\+ postgres:role\.r/);
  });

  test('verify-full without the CA refuses the self-signed certificate with a TLS error', async () => {
    await clusters('{ mode: verify-full }');
    const r = await preview();
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /error RS_POSTGRES_E0008: Cannot read role "tls_role": TLS with cluster "main" failed: self[- ]signed certificate/);
    assert.match(r.err, /hint: Give tls.ca_file for a private CA/);
  });

  test('require encrypts without checking the certificate', async () => {
    await clusters('{ mode: require }');
    const r = await preview();
    assert.equal(r.code, 4, r.out + r.err);
  });
});

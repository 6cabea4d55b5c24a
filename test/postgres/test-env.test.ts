// The PostgreSQL test environment itself: a throwaway cluster that takes password logins over
// TCP and keeps its socket in its own temp dir.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startPostgres, type Postgres } from '../helpers/postgres.ts';

let pg: Postgres;
before(async () => {
  pg = await startPostgres();
});
after(() => pg.stop());

test('startPostgres() runs a cluster that answers SQL over TCP with the admin password', async () => {
  assert.deepEqual(await pg.rows('select current_user, 1 + 1'), [['runestone_admin', '2']]);
  assert.ok(existsSync(path.join(pg.socketDir, `.s.PGSQL.${String(pg.port)}`)), 'the unix socket lives in the temp dir');
});

test('startPostgres() refuses a wrong password (scram auth, as on a managed cluster)', async () => {
  await assert.rejects(pg.psql('select 1', { password: 'wrong' }), /password authentication failed/);
});

import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

const ITERATIONS = 4096;

function keys(password: string, salt: Buffer, iterations: number): { storedKey: Buffer; serverKey: Buffer } {
  // RFC 5802 / 7677; PostgreSQL applies SASLprep, which leaves ASCII passwords unchanged.
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return { storedKey: createHash('sha256').update(clientKey).digest(), serverKey: createHmac('sha256', salted).update('Server Key').digest() };
}

/**
 * A SCRAM-SHA-256 verifier for `password`, in PostgreSQL's `rolpassword` format. Sending the
 * verifier (`PASSWORD 'SCRAM-SHA-256$...'`) keeps the password itself off the wire and out
 * of server logs.
 */
export function scramVerifier(password: string): string {
  const salt = randomBytes(16);
  const { storedKey, serverKey } = keys(password, salt, ITERATIONS);
  return `SCRAM-SHA-256$${String(ITERATIONS)}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** True when `verifier` (from pg_authid.rolpassword) was made from `password`. */
export function verifierMatches(verifier: string, password: string): boolean {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (match === null) return false;
  const [, iterations, salt, stored, server] = match as unknown as [string, string, string, string, string];
  const expected = keys(password, Buffer.from(salt, 'base64'), Number(iterations));
  const storedKey = Buffer.from(stored, 'base64');
  const serverKey = Buffer.from(server, 'base64');
  return storedKey.length === 32 && serverKey.length === 32 && timingSafeEqual(storedKey, expected.storedKey) && timingSafeEqual(serverKey, expected.serverKey);
}

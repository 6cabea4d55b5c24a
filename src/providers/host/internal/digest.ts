import { createHash } from 'node:crypto';

/** Hex SHA-256 of some bytes. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A hash shortened for humans (`content changed (sha256 3a7bd3e2360a… → …)`). */
export function shortHash(hex: string): string {
  return `${hex.slice(0, 12)}…`;
}

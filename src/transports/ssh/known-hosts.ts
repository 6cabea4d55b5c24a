import { createHmac } from 'node:crypto';

/** What a known_hosts file says about a host's key. */
export type HostKeyVerdict =
  | { readonly kind: 'known' }
  | { readonly kind: 'unknown' }
  /** The host is listed, but with other keys of the same type: possibly an impostor. */
  | { readonly kind: 'changed'; readonly line: number };

/**
 * The name OpenSSH writes for a host in known_hosts: the bare address on port 22,
 * `[address]:port` elsewhere.
 */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** The key type inside an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...). */
export function keyTypeOf(blob: Uint8Array): string {
  const buffer = Buffer.from(blob);
  if (buffer.length < 4) return '';
  const length = buffer.readUInt32BE(0);
  return buffer.subarray(4, 4 + length).toString('latin1');
}

/**
 * Checks a host key against the text of a known_hosts file, as OpenSSH does: plain and
 * hashed (`|1|salt|hash`) host fields, comma-separated names, `*`/`?` wildcards and `!`
 * negations. `@cert-authority` lines are ignored; a `@revoked` key counts as changed.
 *
 * @param name The host as {@link knownHostsName} writes it.
 * @param blob The raw public key the server presented.
 */
export function checkHostKey(text: string, name: string, blob: Uint8Array): HostKeyVerdict {
  const type = keyTypeOf(blob);
  const wanted = Buffer.from(blob).toString('base64');
  let changedLine: number | undefined;
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    let fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]?.startsWith('@') === true) {
      marker = fields[0];
      fields = fields.slice(1);
    }
    const [hosts, keyType, key] = fields;
    if (hosts === undefined || keyType === undefined || key === undefined) continue;
    if (marker === '@cert-authority' || !matchesHostField(hosts, name)) continue;
    if (marker === '@revoked') {
      if (key === wanted) return { kind: 'changed', line: index + 1 };
      continue;
    }
    if (keyType === type && key === wanted) return { kind: 'known' };
    if (keyType === type) changedLine ??= index + 1;
  }
  return changedLine === undefined ? { kind: 'unknown' } : { kind: 'changed', line: changedLine };
}

/** The line trust-on-first-use appends: `[127.0.0.1]:2222 ssh-ed25519 AAAA...`. */
export function knownHostsLine(name: string, blob: Uint8Array): string {
  return `${name} ${keyTypeOf(blob)} ${Buffer.from(blob).toString('base64')}\n`;
}

function matchesHostField(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (salt === undefined || hash === undefined) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    if (!globMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    // A matching negation excludes the host whatever else matches.
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function globMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === name;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`).test(name);
}

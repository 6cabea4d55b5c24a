import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkHostKey, keyTypeOf, knownHostsLine, knownHostsName } from './known-hosts.ts';

function blob(type: string, fill: number): Buffer {
  const typeBytes = Buffer.from(type);
  const key = Buffer.alloc(32, fill);
  const out = Buffer.alloc(8 + typeBytes.length + key.length);
  out.writeUInt32BE(typeBytes.length, 0);
  typeBytes.copy(out, 4);
  out.writeUInt32BE(key.length, 4 + typeBytes.length);
  key.copy(out, 8 + typeBytes.length);
  return out;
}

const KEY = blob('ssh-ed25519', 1);
const OTHER = blob('ssh-ed25519', 2);
const B64 = KEY.toString('base64');
const NAME = knownHostsName('127.0.0.1', 2222);

function hashed(name: string): string {
  const salt = Buffer.alloc(20, 7);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('checkHostKey()', () => {
  const cases: readonly { readonly name: string; readonly text: string; readonly verdict: ReturnType<typeof checkHostKey> }[] = [
    { name: 'finds a plain entry', text: `${NAME} ssh-ed25519 ${B64}\n`, verdict: { kind: 'known' } },
    { name: 'finds one name of a comma list', text: `web1,${NAME} ssh-ed25519 ${B64} comment\n`, verdict: { kind: 'known' } },
    { name: 'finds a hashed entry', text: `${hashed(NAME)} ssh-ed25519 ${B64}\n`, verdict: { kind: 'known' } },
    { name: 'finds a wildcard entry', text: `[127.0.0.*]:2222 ssh-ed25519 ${B64}\n`, verdict: { kind: 'known' } },
    { name: 'says unknown for another port', text: `[127.0.0.1]:2223 ssh-ed25519 ${B64}\n`, verdict: { kind: 'unknown' } },
    { name: 'says unknown for an empty file', text: '', verdict: { kind: 'unknown' } },
    { name: 'says unknown when only another key type is listed', text: `${NAME} ssh-rsa AAAA\n`, verdict: { kind: 'unknown' } },
    { name: 'honours a negation', text: `*,!${NAME} ssh-ed25519 ${B64}\n`, verdict: { kind: 'unknown' } },
    { name: 'says changed for a different key of the same type', text: `# keys\n${NAME} ssh-ed25519 ${OTHER.toString('base64')}\n`, verdict: { kind: 'changed', line: 2 } },
    { name: 'prefers a matching line over an old one', text: `${NAME} ssh-ed25519 ${OTHER.toString('base64')}\n${NAME} ssh-ed25519 ${B64}\n`, verdict: { kind: 'known' } },
    { name: 'treats a revoked key as changed', text: `@revoked ${NAME} ssh-ed25519 ${B64}\n${NAME} ssh-ed25519 ${B64}\n`, verdict: { kind: 'changed', line: 1 } },
  ];
  for (const { name, text, verdict } of cases) {
    it(name, () => {
      assert.deepEqual(checkHostKey(text, NAME, KEY), verdict);
    });
  }
});

describe('knownHostsLine()', () => {
  it('writes a line checkHostKey() accepts', () => {
    assert.equal(keyTypeOf(KEY), 'ssh-ed25519');
    assert.equal(knownHostsName('example.org', 22), 'example.org');
    assert.deepEqual(checkHostKey(knownHostsLine(NAME, KEY), NAME, KEY), { kind: 'known' });
  });
});

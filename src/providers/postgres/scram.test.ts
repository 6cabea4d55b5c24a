import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scramVerifier, verifierMatches } from './scram.ts';

test('scramVerifier() makes a PostgreSQL SCRAM-SHA-256 verifier that verifierMatches() accepts', () => {
  const verifier = scramVerifier('correct horse');
  assert.match(verifier, /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
  assert.equal(verifierMatches(verifier, 'correct horse'), true);
});

test('verifierMatches() rejects another password, an md5 hash and garbage', () => {
  const verifier = scramVerifier('correct horse');
  assert.equal(verifierMatches(verifier, 'correct horse!'), false);
  assert.equal(verifierMatches('md5a3556571e93b0d20722ba62be61e8c2d', 'correct horse'), false);
  assert.equal(verifierMatches('', 'x'), false);
});

test('scramVerifier() salts: two verifiers of one password differ', () => {
  assert.notEqual(scramVerifier('p'), scramVerifier('p'));
});

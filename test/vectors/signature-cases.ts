// Shared by the Wycheproof signature tests (src/crypto/*.wycheproof.test.ts): one vector case
// through keyhold's verifySignature both ways AWS KMS lets a caller send a message, RAW and as
// its DIGEST, so node's path and keyhold's own digest path are held to the same vectors.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from '../../src/core/key-specs.js';
import { signingAlgorithmInfo } from '../../src/crypto/signing-algorithms.js';
import { verifySignature } from '../../src/crypto/signatures.js';
import type { WycheproofResult } from './wycheproof.js';

export const hex = (s: string): Buffer => Buffer.from(s, 'hex');

/** A Wycheproof group's publicKeyDer (hex SubjectPublicKeyInfo) as a node KeyObject. */
export const spkiKey = (publicKeyDer: string): KeyObject => createPublicKey({ key: hex(publicKeyDer), format: 'der', type: 'spki' });

/** Wycheproof's hash names to node's. */
export const nodeHash = (sha: string): 'sha256' | 'sha384' | 'sha512' => {
  const hash = ({ 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const)[sha];
  if (hash === undefined) throw new Error(`unexpected hash ${sha}`);
  return hash;
};

/** Asserts what `result` demands of `msg` and `sig` under `publicKey`, RAW and DIGEST alike;
 *  `acceptable` says what keyhold does with an acceptable case (true: verifies, false: refuses). */
export function checkSignatureCase(publicKey: KeyObject, algorithm: SigningAlgorithm, msg: Buffer, sig: Buffer, result: WycheproofResult, acceptable?: boolean): void {
  const key = { kind: 'key-pair', publicKey } as const;
  const raw = verifySignature(key, { algorithm, messageType: 'RAW', message: msg }, sig);
  const expected = result === 'valid' ? true : result === 'invalid' ? false : acceptable;
  assert.equal(raw, expected, `RAW: expected ${String(expected)} for a case that is ${result}`);
  const hash = signingAlgorithmInfo[algorithm].hash;
  if (hash !== undefined && signingAlgorithmInfo[algorithm].messageTypes.includes('DIGEST')) {
    const digest = createHash(hash).update(msg).digest();
    assert.equal(verifySignature(key, { algorithm, messageType: 'DIGEST', message: digest }, sig), raw, 'DIGEST must agree with RAW');
  }
}

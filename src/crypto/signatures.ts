// Sign and verify for every AWS KMS signing algorithm, on opened key material. Pure and
// synchronous: Sign and Verify call it directly for fast keys, and a worker thread calls the same
// functions for slow ones (crypto-jobs.ts), so both places give the same answers.
import type { KeyObject } from 'node:crypto';
import type { MlDsaMaterial } from '../backends/key-backend.js';
import type { SigningAlgorithm } from '../core/key-specs.js';
import { ecdsaSign, ecdsaVerify } from './ecdsa-signatures.js';
import { ed25519Sign, ed25519Verify, ed25519phSign, ed25519phVerify } from './eddsa-signatures.js';
import { mlDsaSign, mlDsaVerify, type MlDsaKeySpec } from './ml-dsa.js';
import { rsaSign, rsaVerify } from './rsa-signatures.js';
import { messageProblem, signingAlgorithmInfo, type MessageType, type SignatureHash } from './signing-algorithms.js';
import { sm2Sign, sm2Verify } from './sm2-signature.js';

/** What signs: an RSA, EC, SM2 or Ed25519 key pair, or an ML-DSA seed. */
export type SigningKey =
  | { readonly kind: 'key-pair'; readonly privateKey: KeyObject; readonly publicKey: KeyObject }
  | { readonly kind: 'ml-dsa'; readonly material: MlDsaMaterial };

/** What verifies: public keys only. */
export type VerifyingKey =
  | { readonly kind: 'key-pair'; readonly publicKey: KeyObject }
  | { readonly kind: 'ml-dsa'; readonly keySpec: MlDsaKeySpec; readonly publicKey: Uint8Array };

export interface SignatureInput {
  readonly algorithm: SigningAlgorithm;
  readonly messageType: MessageType;
  readonly message: Uint8Array;
}

type Hashed = 'RAW' | 'DIGEST';
type Sha = Exclude<SignatureHash, 'sm3'>;

function sha(hash: SignatureHash | undefined): Sha {
  if (hash === undefined || hash === 'sm3') throw new TypeError(`no SHA-2 hash: ${hash}`);
  return hash;
}

function keyPair<K extends SigningKey | VerifyingKey>(key: K): Extract<K, { kind: 'key-pair' }> {
  if (key.kind !== 'key-pair') throw new TypeError('this algorithm needs an RSA, EC or Ed25519 key');
  return key as Extract<K, { kind: 'key-pair' }>;
}

/* Precondition of both functions: the message suits the algorithm (messageProblem is undefined);
 * the operations check it first and answer ValidationException, so a violation here is a bug. */
function requireSuitable(input: SignatureInput): void {
  const problem = messageProblem(input.algorithm, input.messageType, input.message);
  if (problem !== undefined) throw new RangeError(problem);
}

/** The signature of `input.message` in the encoding AWS KMS returns for the algorithm (DER for
 *  ECDSA and SM2, raw for RSA, Ed25519 and ML-DSA). Throws only on a precondition or key error. */
export function signMessage(key: SigningKey, input: SignatureInput): Uint8Array {
  requireSuitable(input);
  const { scheme, hash } = signingAlgorithmInfo[input.algorithm];
  const messageType = input.messageType as Hashed;
  switch (scheme) {
    case 'rsa-pss':
    case 'rsa-pkcs1':
      return rsaSign(keyPair(key).privateKey, scheme, sha(hash), messageType, input.message);
    case 'ecdsa':
      return ecdsaSign(keyPair(key).privateKey, sha(hash), messageType, input.message);
    case 'sm2':
      return sm2Sign(keyPair(key).privateKey, keyPair(key).publicKey, messageType, input.message);
    case 'ed25519':
      return ed25519Sign(keyPair(key).privateKey, input.message);
    case 'ed25519ph':
      return ed25519phSign(keyPair(key).privateKey, input.message);
    case 'ml-dsa':
      if (key.kind !== 'ml-dsa') throw new TypeError('ML_DSA_SHAKE_256 needs an ML-DSA key');
      return mlDsaSign(key.material, input.message, input.messageType as 'RAW' | 'EXTERNAL_MU');
  }
}

/** Whether `signature` is a valid signature of `input.message`. False, never an exception, for
 *  any signature bytes (malformed, truncated, out of range); throws only on a precondition. */
export function verifySignature(key: VerifyingKey, input: SignatureInput, signature: Uint8Array): boolean {
  requireSuitable(input);
  const { scheme, hash } = signingAlgorithmInfo[input.algorithm];
  const messageType = input.messageType as Hashed;
  switch (scheme) {
    case 'rsa-pss':
    case 'rsa-pkcs1':
      return rsaVerify(keyPair(key).publicKey, scheme, sha(hash), messageType, input.message, signature);
    case 'ecdsa':
      return ecdsaVerify(keyPair(key).publicKey, sha(hash), messageType, input.message, signature);
    case 'sm2':
      return sm2Verify(keyPair(key).publicKey, messageType, input.message, signature);
    case 'ed25519':
      return ed25519Verify(keyPair(key).publicKey, input.message, signature);
    case 'ed25519ph':
      return ed25519phVerify(keyPair(key).publicKey, input.message, signature);
    case 'ml-dsa':
      if (key.kind !== 'ml-dsa') throw new TypeError('ML_DSA_SHAKE_256 needs an ML-DSA key');
      return mlDsaVerify(key.keySpec, key.publicKey, input.message, input.messageType as 'RAW' | 'EXTERNAL_MU', signature);
  }
}

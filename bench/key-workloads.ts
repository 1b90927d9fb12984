// The asymmetric and HMAC workloads (issue 4): Sign and Verify on the three key types customers
// sign with most, and GenerateMac, each as one request body a KMS client would send.
import { randomBytes } from 'node:crypto';
import { PLAINTEXT_BYTES } from './payloads.js';

export type KeyedOperation = 'Sign' | 'Verify' | 'GenerateMac';
export type BenchKeySpec = 'ECC_NIST_P256' | 'ECC_NIST_EDWARDS25519' | 'RSA_2048' | 'RSA_4096' | 'HMAC_256';

export interface Workload {
  readonly label: string;
  readonly operation: KeyedOperation;
  readonly spec: BenchKeySpec;
  readonly algorithm: string;
  /** Counted in the goal: ≥ 0.5 of the single-process ceiling "for ECC and HMAC". */
  readonly goal: boolean;
}

const workload = (operation: KeyedOperation, spec: BenchKeySpec, algorithm: string): Workload => ({
  label: `${operation} ${spec} ${algorithm}`,
  operation,
  spec,
  algorithm,
  goal: !spec.startsWith('RSA_'),
});

export const WORKLOADS: readonly Workload[] = [
  workload('Sign', 'ECC_NIST_P256', 'ECDSA_SHA_256'),
  workload('Sign', 'ECC_NIST_EDWARDS25519', 'ED25519_SHA_512'),
  workload('Sign', 'RSA_2048', 'RSASSA_PSS_SHA_256'),
  workload('Verify', 'ECC_NIST_P256', 'ECDSA_SHA_256'),
  workload('Verify', 'ECC_NIST_EDWARDS25519', 'ED25519_SHA_512'),
  workload('Verify', 'RSA_2048', 'RSASSA_PSS_SHA_256'),
  workload('GenerateMac', 'HMAC_256', 'HMAC_SHA_256'),
];

/** Load for the event-loop phase: the slowest signing keyhold offers. */
export const RSA_4096_SIGN = workload('Sign', 'RSA_4096', 'RSASSA_PSS_SHA_256');

/** Every Verify checks a signature of this message, made once by whoever holds the key. */
export const VERIFY_MESSAGE = Buffer.alloc(PLAINTEXT_BYTES, 0x5a);

/** A key of one spec on one target: its KeyId, and the signature of VERIFY_MESSAGE (base64) under
 *  it for each signing algorithm measured, or why there is none. */
export interface KeyFixture {
  readonly keyId: string;
  readonly signatures: Readonly<Record<string, string>>;
}

/** Body of the i-th request of `w`. Sign and GenerateMac messages differ per request, as
 *  Encrypt plaintexts do; Verify replays one signature, as a hot token's check would. */
export function keyedBody(w: Workload, key: KeyFixture): (i: number) => string {
  const message = (): string => randomBytes(PLAINTEXT_BYTES).toString('base64');
  switch (w.operation) {
    case 'Sign':
      return () => JSON.stringify({ KeyId: key.keyId, Message: message(), MessageType: 'RAW', SigningAlgorithm: w.algorithm });
    case 'Verify': {
      const signature = key.signatures[w.algorithm];
      if (signature === undefined) throw new Error(`no ${w.algorithm} signature for ${key.keyId}`);
      const verifyMessage = VERIFY_MESSAGE.toString('base64');
      return () => JSON.stringify({ KeyId: key.keyId, Message: verifyMessage, MessageType: 'RAW', Signature: signature, SigningAlgorithm: w.algorithm });
    }
    case 'GenerateMac':
      return () => JSON.stringify({ KeyId: key.keyId, Message: message(), MacAlgorithm: w.algorithm });
  }
}

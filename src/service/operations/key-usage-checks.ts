// Checks every non-symmetric operation shares: the key has the usage the operation needs, and the
// algorithm asked for is one its spec offers for that usage (AWS: InvalidKeyUsageException).
import { fail } from '../../core/errors.js';
import { algorithmsOf, type EncryptionAlgorithm, type KeyAgreementAlgorithm, type MacAlgorithm, type SigningAlgorithm } from '../../core/key-specs.js';
import type { KeyRecord, KeyUsage } from '../../core/keys.js';

export function requireKeyUsage(key: KeyRecord, usage: KeyUsage, operation: string): void {
  if (key.keyUsage !== usage) fail('InvalidKeyUsageException', `${key.arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`);
}

type AlgorithmKind = { signing: SigningAlgorithm; encryption: EncryptionAlgorithm; mac: MacAlgorithm; keyAgreement: KeyAgreementAlgorithm };

/** The algorithm, when the key's spec and usage offer it; InvalidKeyUsageException otherwise. */
export function requireAlgorithm<K extends keyof AlgorithmKind>(key: KeyRecord, kind: K, algorithm: string): AlgorithmKind[K] {
  const offered = algorithmsOf(key.keySpec, key.keyUsage)[kind] as readonly string[];
  if (!offered.includes(algorithm)) {
    fail('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}${offered.length > 0 ? `: use ${offered.join(', ')}` : ''}.`);
  }
  return algorithm as AlgorithmKind[K];
}

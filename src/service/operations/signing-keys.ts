// The opened key material of a signing key, in the form the signature code takes. A key without
// usable material here is a broken store, not a caller's mistake: that throws a plain Error, which
// the edge logs and answers as KMSInternalException.
import { mlDsaPublicKeys } from '../../crypto/crypto-offload.js';
import type { SigningKey, VerifyingKey } from '../../crypto/signatures.js';
import type { CachedKey } from '../key-cache.js';
import type { ServiceDeps } from '../operation.js';

function currentMaterial(key: CachedKey) {
  const material = key.current();
  if (material?.kind !== 'key-pair' && material?.kind !== 'ml-dsa') throw new Error(`key ${key.record.arn} has no asymmetric key material`);
  return material;
}

/** The private (and public) key that signs with `key`'s current material. */
export function signingKeyOf(key: CachedKey): SigningKey {
  const material = currentMaterial(key);
  return material.kind === 'ml-dsa' ? { kind: 'ml-dsa', material } : { kind: 'key-pair', privateKey: material.privateKey, publicKey: material.publicKey };
}

/** The public key that verifies `key`'s signatures; an ML-DSA one is expanded from its seed once. */
export async function verifyingKeyOf(deps: ServiceDeps, key: CachedKey): Promise<VerifyingKey> {
  const material = currentMaterial(key);
  if (material.kind === 'key-pair') return { kind: 'key-pair', publicKey: material.publicKey };
  return { kind: 'ml-dsa', keySpec: material.keySpec, publicKey: (await mlDsaPublicKeys(deps.crypto, material)).raw };
}

/** The DER SubjectPublicKeyInfo of `key`'s current material, as GetPublicKey returns it. */
export async function publicKeyDerOf(deps: ServiceDeps, key: CachedKey): Promise<Buffer> {
  const material = currentMaterial(key);
  if (material.kind === 'key-pair') return material.publicKeyDer;
  return Buffer.from((await mlDsaPublicKeys(deps.crypto, material)).der);
}

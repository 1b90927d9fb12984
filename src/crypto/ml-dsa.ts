// ML-DSA (FIPS 204) for ML_DSA_44/65/87 keys as AWS KMS offers them: signing algorithm
// ML_DSA_SHAKE_256 is pure ML-DSA with the empty context, over MessageType RAW or EXTERNAL_MU.
// Synchronous and free of module state but caches, so a worker thread can import and call it.
import type { MlDsaMaterial } from '../backends/key-backend.js';
import { ML_DSA_SEED_BYTES, mlDsaSpki, type MlDsaKeySpec } from './ml-dsa-der.js';
import type { MlDsaEngine, MlDsaSigner } from './ml-dsa-engine.js';
import { nobleMlDsa, type NobleMlDsaSigner } from './ml-dsa-noble.js';
import { nodeMlDsa } from './ml-dsa-node.js';

export type { MlDsaKeySpec } from './ml-dsa-der.js';
export type MlDsaMessageType = 'RAW' | 'EXTERNAL_MU';

/** The length of μ = SHAKE256(tr || M', 64) (FIPS 204 §6.2); AWS requires EXTERNAL_MU messages
 *  to be exactly this long. */
export const ML_DSA_MU_BYTES = 64;

/** The caller's message cannot be signed or verified as given (today: an EXTERNAL_MU message
 *  that is not 64 bytes). The operation reports it as a ValidationException. */
export class MlDsaInputError extends RangeError {
  override readonly name = 'MlDsaInputError';
}

/**
 * The one place the implementation is chosen. RAW goes to Node's crypto where the runtime has
 * ML-DSA (OpenSSL 3.5, Node 24) and to @noble/post-quantum otherwise; EXTERNAL_MU always goes to
 * noble, because Node's sign() has no external-μ input (and ignores options it does not know,
 * so it would sign μ as a RAW message). ml-dsa-engines.test.ts proves that from one seed both
 * derive the same public key and each verifies the other's signatures.
 */
export function rawMlDsaEngine(): MlDsaEngine {
  return nodeMlDsa() ?? nobleMlDsa;
}

/* Expanding a seed costs about as much as signing, so each material is expanded once. The
 * signers hold secret state; a WeakMap ties their lifetime to the material object's. */
interface OpenedKey {
  readonly raw: MlDsaSigner;
  mu?: NobleMlDsaSigner;
}
const openedKeys = new WeakMap<MlDsaMaterial, OpenedKey>();

function opened(material: MlDsaMaterial): OpenedKey {
  let key = openedKeys.get(material);
  if (key === undefined) {
    /* Precondition: ML-DSA material is the 32-byte seed ξ (a corrupt record, not a caller error). */
    if (material.seed.length !== ML_DSA_SEED_BYTES) throw new Error(`ML-DSA key material ${material.materialId} is not a ${ML_DSA_SEED_BYTES}-byte seed`);
    key = { raw: rawMlDsaEngine().signer(material.keySpec, material.seed) };
    openedKeys.set(material, key);
  }
  return key;
}

function muSigner(material: MlDsaMaterial): NobleMlDsaSigner {
  const key = opened(material);
  if (key.mu === undefined) {
    const mu = nobleMlDsa.signer(material.keySpec, material.seed);
    // The engines must agree, or an EXTERNAL_MU signature would not verify under GetPublicKey's key.
    if (Buffer.compare(mu.publicKey, key.raw.publicKey) !== 0) throw new Error('ML-DSA engines derived different public keys');
    key.mu = mu;
  }
  return key.mu;
}

function needsMu(message: Uint8Array): void {
  /* Precondition: an EXTERNAL_MU message is exactly 64 bytes (AWS KMS Sign and Verify API reference). */
  if (message.length !== ML_DSA_MU_BYTES) throw new MlDsaInputError(`An EXTERNAL_MU message must be ${ML_DSA_MU_BYTES} bytes; got ${message.length}`);
}

/** The raw public key pk (1312, 1952 or 2592 bytes), derived once per material. A fresh copy. */
export function mlDsaPublicKey(material: MlDsaMaterial): Uint8Array {
  return Uint8Array.from(opened(material).raw.publicKey);
}

/** DER SubjectPublicKeyInfo with id-ml-dsa-44/65/87 and no parameters (RFC 9881), as
 *  GetPublicKey returns it. */
export function mlDsaPublicKeyDer(material: MlDsaMaterial): Buffer {
  return mlDsaSpki(material.keySpec, opened(material).raw.publicKey);
}

/** Signs `message` (RAW) or a caller-computed μ (EXTERNAL_MU) with pure ML-DSA, empty context,
 *  hedged as FIPS 204 §3.4 recommends. AWS documents no deterministic variant; its "EXTERNAL_MU
 *  signatures are the same as the RAW ones" holds here as interchangeability: both verify as RAW
 *  signatures of M. Throws MlDsaInputError for a μ that is not 64 bytes. */
export function mlDsaSign(material: MlDsaMaterial, message: Uint8Array, messageType: MlDsaMessageType): Uint8Array {
  if (messageType === 'RAW') return opened(material).raw.sign(message);
  needsMu(message);
  return muSigner(material).signMu(message);
}

/** Verifies a pure ML-DSA signature (empty context) of `message` or of μ. Returns false, never
 *  throws, for malformed signature or public key bytes; throws MlDsaInputError only for a μ that
 *  is not 64 bytes, which AWS rejects as a malformed request rather than a bad signature. */
export function mlDsaVerify(keySpec: MlDsaKeySpec, publicKey: Uint8Array, message: Uint8Array, messageType: MlDsaMessageType, signature: Uint8Array): boolean {
  if (messageType === 'RAW') return rawMlDsaEngine().verify(keySpec, publicKey, message, signature);
  needsMu(message);
  return nobleMlDsa.verifyMu(keySpec, publicKey, message, signature);
}

// What each AWS KMS signing algorithm is and which messages it takes. One table: the Sign and
// Verify operations check requests against it, the signature code dispatches on it.
//
// AWS KMS API reference, Sign and Verify, MessageType: RAW messages are hashed by the algorithm;
// DIGEST messages are already hashed and must be exactly as long as that hash; EXTERNAL_MU is the
// 64-byte μ of FIPS 204 §6.2, for ML-DSA only. For ECC_NIST_EDWARDS25519 keys, ED25519_SHA_512
// requires RAW and ED25519_PH_SHA_512 requires DIGEST (a SHA-512 digest, which KMS hashes again).
import type { SigningAlgorithm } from '../core/key-specs.js';

export type MessageType = 'RAW' | 'DIGEST' | 'EXTERNAL_MU';

/** The signature scheme, as RFC 8017 (RSA), ANS X9.62 (ECDSA), RFC 8032 (EdDSA), GB/T 32918.2
 *  (SM2) and FIPS 204 (ML-DSA) name them. */
export type SignatureScheme = 'rsa-pss' | 'rsa-pkcs1' | 'ecdsa' | 'ed25519' | 'ed25519ph' | 'sm2' | 'ml-dsa';

/** Node's names for the hashes the algorithms use. */
export type SignatureHash = 'sha256' | 'sha384' | 'sha512' | 'sm3';

export interface SigningAlgorithmInfo {
  readonly scheme: SignatureScheme;
  /** The hash a RAW message goes through; none for Ed25519 (inside the scheme) and ML-DSA (SHAKE256). */
  readonly hash?: SignatureHash;
  /** The message types the algorithm accepts (a request without one means RAW). */
  readonly messageTypes: readonly MessageType[];
  /** The exact length of a DIGEST (or EXTERNAL_MU) message. */
  readonly digestBytes?: number;
}

const hashed = (scheme: SignatureScheme, hash: 'sha256' | 'sha384' | 'sha512'): SigningAlgorithmInfo => ({
  scheme, hash, messageTypes: ['RAW', 'DIGEST'], digestBytes: { sha256: 32, sha384: 48, sha512: 64 }[hash],
});

export const signingAlgorithmInfo: Readonly<Record<SigningAlgorithm, SigningAlgorithmInfo>> = {
  RSASSA_PSS_SHA_256: hashed('rsa-pss', 'sha256'),
  RSASSA_PSS_SHA_384: hashed('rsa-pss', 'sha384'),
  RSASSA_PSS_SHA_512: hashed('rsa-pss', 'sha512'),
  RSASSA_PKCS1_V1_5_SHA_256: hashed('rsa-pkcs1', 'sha256'),
  RSASSA_PKCS1_V1_5_SHA_384: hashed('rsa-pkcs1', 'sha384'),
  RSASSA_PKCS1_V1_5_SHA_512: hashed('rsa-pkcs1', 'sha512'),
  ECDSA_SHA_256: hashed('ecdsa', 'sha256'),
  ECDSA_SHA_384: hashed('ecdsa', 'sha384'),
  ECDSA_SHA_512: hashed('ecdsa', 'sha512'),
  // AWS: "SM2DSA uses the SM3 hashing algorithm"; a DIGEST is e = SM3(Z_A ‖ M) (GB/T 32918.2 §6.1).
  SM2DSA: { scheme: 'sm2', hash: 'sm3', messageTypes: ['RAW', 'DIGEST'], digestBytes: 32 },
  ED25519_SHA_512: { scheme: 'ed25519', messageTypes: ['RAW'] },
  ED25519_PH_SHA_512: { scheme: 'ed25519ph', hash: 'sha512', messageTypes: ['DIGEST'], digestBytes: 64 },
  ML_DSA_SHAKE_256: { scheme: 'ml-dsa', messageTypes: ['RAW', 'EXTERNAL_MU'], digestBytes: 64 },
};

/** Why `message` cannot be signed or verified with `algorithm` as `messageType`, in the words
 *  of a ValidationException; undefined when it can. */
export function messageProblem(algorithm: SigningAlgorithm, messageType: MessageType, message: Uint8Array): string | undefined {
  const info = signingAlgorithmInfo[algorithm];
  if (!info.messageTypes.includes(messageType)) return `Message type ${messageType} is incompatible with algorithm ${algorithm}.`;
  if (messageType === 'DIGEST' && message.length !== info.digestBytes) return `Digest is invalid length for algorithm ${algorithm}.`;
  if (messageType === 'EXTERNAL_MU' && message.length !== info.digestBytes) return `An EXTERNAL_MU message must be ${info.digestBytes} bytes long.`;
  return undefined;
}

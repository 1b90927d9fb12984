// Where key material lives and operations on it run. One interface; the key chooses the backend
// (software today; PKCS#11 and XKS later), operations never switch on concrete classes.
import type { KeyObject } from 'node:crypto';
import type { Sealed } from '../crypto/aes-gcm.js';
import type { KeySpec } from '../core/key-specs.js';
import type { KeyMaterialRecord, KeyRecord } from '../core/keys.js';

/** An opened generation of symmetric (AES-256) key material, ready to use. */
export interface SymmetricMaterial {
  readonly kind: 'symmetric';
  readonly materialId: string;
  seal(iv: Buffer, plaintext: Buffer, aad: Buffer): Sealed;
  /** null when authentication fails. */
  open(iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer | null;
}

/** An RSA, elliptic-curve (NIST, secp256k1, SM2) or Ed25519 key pair, parsed once. */
export interface KeyPairMaterial {
  readonly kind: 'key-pair';
  readonly materialId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** DER SubjectPublicKeyInfo, as GetPublicKey returns it. */
  readonly publicKeyDer: Buffer;
}

/** An HMAC key. */
export interface MacMaterial {
  readonly kind: 'mac';
  readonly materialId: string;
  readonly key: KeyObject;
}

/** An ML-DSA key, held as its 32-byte seed (FIPS 204 ξ) from which both halves are derived. */
export interface MlDsaMaterial {
  readonly kind: 'ml-dsa';
  readonly materialId: string;
  readonly keySpec: 'ML_DSA_44' | 'ML_DSA_65' | 'ML_DSA_87';
  readonly seed: Buffer;
}

export type OpenedMaterial = SymmetricMaterial | KeyPairMaterial | MacMaterial | MlDsaMaterial;

export interface NewMaterial {
  readonly materialId: string;
  /** What the store keeps: never the raw material. */
  readonly wrapped: Buffer;
}

/** The key a material belongs to: its ARN binds the wrapping; its spec says what the material is
 *  (SYMMETRIC_DEFAULT when absent). */
export type MaterialOwner = Pick<KeyRecord, 'arn'> & { readonly keySpec?: KeySpec };

export interface KeyBackend {
  /** Generates new material for `key` (at creation or rotation). Asynchronous: RSA key
   *  generation takes long enough that it must not run on the event loop. */
  createMaterial(key: MaterialOwner): Promise<NewMaterial>;
  /** Keeps material the customer imported (already checked and normalised), under `materialId`. */
  importMaterial(key: MaterialOwner, materialId: string, material: Buffer): NewMaterial;
  /** Opens stored material; throws if it cannot (e.g. it was not wrapped for this key). */
  openMaterial(key: MaterialOwner, material: KeyMaterialRecord): OpenedMaterial;
}

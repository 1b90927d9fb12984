// Where key material lives and symmetric operations run. One interface; the key chooses the
// backend (software today; PKCS#11 and XKS later), operations never switch on concrete classes.
import type { Sealed } from '../crypto/aes-gcm.js';
import type { KeyMaterialRecord, KeyRecord } from '../core/keys.js';

/** An opened generation of symmetric key material, ready to use. */
export interface SymmetricMaterial {
  readonly materialId: string;
  seal(iv: Buffer, plaintext: Buffer, aad: Buffer): Sealed;
  /** null when authentication fails. */
  open(iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer | null;
}

export interface NewMaterial {
  readonly materialId: string;
  /** What the store keeps: never the raw material. */
  readonly wrapped: Buffer;
}

export interface KeyBackend {
  /** Generates new material for `key` (at creation or rotation). */
  createMaterial(key: Pick<KeyRecord, 'arn'>): NewMaterial;
  /** Opens stored material; throws if it cannot (e.g. it was not wrapped for this key). */
  openMaterial(key: Pick<KeyRecord, 'arn'>, material: KeyMaterialRecord): SymmetricMaterial;
}

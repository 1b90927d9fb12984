// Software keys: AES-256 material generated here, stored wrapped under the root key
// (AAD = key ARN and material id), opened into KeyObjects that never leave the process.
import { createSecretKey } from 'node:crypto';
import type { Random } from '../../core/clock.js';
import type { KeyMaterialRecord, KeyRecord } from '../../core/keys.js';
import { openGcm, sealGcm } from '../../crypto/aes-gcm.js';
import type { KeyBackend, NewMaterial, SymmetricMaterial } from '../key-backend.js';
import type { RootKey } from './root-key.js';

const AES_256_BYTES = 32;
const MATERIAL_ID_BYTES = 32;

export class SoftwareBackend implements KeyBackend {
  readonly #root: RootKey;
  readonly #random: Random;

  constructor(root: RootKey, random: Random) {
    this.#root = root;
    this.#random = random;
  }

  createMaterial(key: Pick<KeyRecord, 'arn'>): NewMaterial {
    const materialId = this.#random.bytes(MATERIAL_ID_BYTES).toString('hex');
    const material = this.#random.bytes(AES_256_BYTES);
    try {
      return { materialId, wrapped: this.#root.wrap(material, wrapContext(key.arn, materialId)) };
    } finally {
      material.fill(0);
    }
  }

  openMaterial(key: Pick<KeyRecord, 'arn'>, record: KeyMaterialRecord): SymmetricMaterial {
    const raw = this.#root.unwrap(record.wrapped, wrapContext(key.arn, record.materialId));
    if (!raw) throw new Error(`key material ${record.materialId} of ${key.arn} does not unwrap under the root key`);
    const keyObject = createSecretKey(raw);
    raw.fill(0);
    return {
      materialId: record.materialId,
      seal: (iv, plaintext, aad) => sealGcm(keyObject, iv, plaintext, aad),
      open: (iv, ciphertext, tag, aad) => openGcm(keyObject, iv, ciphertext, tag, aad),
    };
  }
}

const wrapContext = (arn: string, materialId: string): string => `key-material:${arn}:${materialId}`;

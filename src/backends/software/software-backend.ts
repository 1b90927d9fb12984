// Software keys: material generated here, stored wrapped under the root key (AAD = key ARN and
// material id), opened into KeyObjects that never leave the process.
import type { Random } from '../../core/clock.js';
import type { KeyMaterialRecord } from '../../core/keys.js';
import { generateMaterial, openMaterial } from '../../crypto/key-material.js';
import type { KeyBackend, MaterialOwner, NewMaterial, OpenedMaterial } from '../key-backend.js';
import type { RootKey } from './root-key.js';

const MATERIAL_ID_BYTES = 32;

export class SoftwareBackend implements KeyBackend {
  readonly #root: RootKey;
  readonly #random: Random;

  constructor(root: RootKey, random: Random) {
    this.#root = root;
    this.#random = random;
  }

  async createMaterial(key: MaterialOwner): Promise<NewMaterial> {
    const materialId = this.#random.bytes(MATERIAL_ID_BYTES).toString('hex');
    const material = await generateMaterial(key.keySpec ?? 'SYMMETRIC_DEFAULT', this.#random);
    try {
      return { materialId, wrapped: this.#root.wrap(material, wrapContext(key.arn, materialId)) };
    } finally {
      material.fill(0);
    }
  }

  importMaterial(key: MaterialOwner, materialId: string, material: Buffer): NewMaterial {
    return { materialId, wrapped: this.#root.wrap(material, wrapContext(key.arn, materialId)) };
  }

  openMaterial(key: MaterialOwner, record: KeyMaterialRecord): OpenedMaterial {
    const raw = this.#root.unwrap(record.wrapped, wrapContext(key.arn, record.materialId));
    if (!raw) throw new Error(`key material ${record.materialId} of ${key.arn} does not unwrap under the root key`);
    try {
      return openMaterial(key.keySpec ?? 'SYMMETRIC_DEFAULT', record.materialId, raw);
    } finally {
      raw.fill(0);
    }
  }
}

const wrapContext = (arn: string, materialId: string): string => `key-material:${arn}:${materialId}`;

// Key material by spec, as the software backend keeps it (wrapped) and opens it: raw bytes for AES
// and HMAC, PKCS#8 DER for key pairs, the 32-byte seed for ML-DSA. Generation runs off the event
// loop where it is slow (node's async generateKeyPair uses the libuv thread pool).
import { createPrivateKey, createPublicKey, createSecretKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { KeySpec } from '../core/key-specs.js';
import { keySpecInfo } from '../core/key-specs.js';
import type { Random } from '../core/clock.js';
import { openGcm, sealGcm } from './aes-gcm.js';
import type { OpenedMaterial } from '../backends/key-backend.js';

const AES_256_BYTES = 32;
const ML_DSA_SEED_BYTES = 32;
const generate = promisify(generateKeyPair);

/** New plaintext material for a key of `spec`. The caller wraps it and then zeroes it. */
export async function generateMaterial(spec: KeySpec, random: Random): Promise<Buffer> {
  const info = keySpecInfo[spec];
  switch (info.family) {
    case 'symmetric':
      return random.bytes(AES_256_BYTES);
    case 'hmac':
      return random.bytes(info.size ?? 32);
    case 'ml-dsa':
      return random.bytes(ML_DSA_SEED_BYTES);
    case 'rsa':
      return pkcs8(await generate('rsa', { modulusLength: info.size ?? 2048, publicExponent: 0x10001 }));
    case 'ec':
    case 'sm2':
      return pkcs8(await generate('ec', { namedCurve: info.curve ?? 'prime256v1' }));
    case 'ed25519':
      return pkcs8(await generate('ed25519', {}));
  }
}

function pkcs8(pair: { privateKey: KeyObject }): Buffer {
  return pair.privateKey.export({ type: 'pkcs8', format: 'der' });
}

/** Opens plaintext material of a key of `spec`. `raw` may be zeroed by the caller afterwards. */
export function openMaterial(spec: KeySpec, materialId: string, raw: Buffer): OpenedMaterial {
  const family = keySpecInfo[spec].family;
  switch (family) {
    case 'symmetric': {
      const key = createSecretKey(Buffer.from(raw));
      return {
        kind: 'symmetric',
        materialId,
        seal: (iv, plaintext, aad) => sealGcm(key, iv, plaintext, aad),
        open: (iv, ciphertext, tag, aad) => openGcm(key, iv, ciphertext, tag, aad),
      };
    }
    case 'hmac':
      return { kind: 'mac', materialId, key: createSecretKey(Buffer.from(raw)) };
    case 'ml-dsa':
      return { kind: 'ml-dsa', materialId, keySpec: spec as 'ML_DSA_44' | 'ML_DSA_65' | 'ML_DSA_87', seed: Buffer.from(raw) };
    case 'rsa':
    case 'ec':
    case 'sm2':
    case 'ed25519': {
      const privateKey = createPrivateKey({ key: raw, format: 'der', type: 'pkcs8' });
      const publicKey = createPublicKey(privateKey);
      return { kind: 'key-pair', materialId, privateKey, publicKey, publicKeyDer: publicKey.export({ type: 'spki', format: 'der' }) };
    }
  }
}

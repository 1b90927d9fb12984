// Checks imported key material against its key's spec and brings it to the form keyhold stores
// (see key-material.ts): raw bytes for AES and HMAC, PKCS#8 DER for key pairs. Sizes and formats
// are AWS's ("Requirements for imported key material").
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { fail } from '../core/errors.js';
import { keySpecInfo, type KeySpec } from '../core/key-specs.js';

/** HMAC key lengths AWS accepts for import, in bytes. */
const HMAC_BYTES: Partial<Record<KeySpec, readonly [number, number]>> = {
  HMAC_224: [28, 64], HMAC_256: [32, 64], HMAC_384: [48, 128], HMAC_512: [64, 128],
};
const AES_256_BYTES = 32;

/** Whether keys of `spec` can take imported material (ML-DSA material has no import format in keyhold). */
export const isImportable = (spec: KeySpec): boolean => keySpecInfo[spec].family !== 'ml-dsa';

/**
 * The material as keyhold stores it. Precondition (ValidationException otherwise): `raw` is material
 * of `spec` — 32 bytes for SYMMETRIC_DEFAULT, a length in AWS's range for HMAC, a PKCS#8 private key
 * of the spec's algorithm and size for key pairs. The messages never include the material.
 */
export function normalizeImportedMaterial(spec: KeySpec, raw: Buffer): Buffer {
  const info = keySpecInfo[spec];
  switch (info.family) {
    case 'symmetric':
      if (raw.length !== AES_256_BYTES) fail('ValidationException', `Key material for SYMMETRIC_DEFAULT keys must be 256 bits (32 bytes); it was ${raw.length} bytes.`);
      return Buffer.from(raw);
    case 'hmac': {
      const [min, max] = HMAC_BYTES[spec] ?? [0, 0];
      if (raw.length < min || raw.length > max) fail('ValidationException', `Key material for ${spec} keys must be ${min} to ${max} bytes; it was ${raw.length} bytes.`);
      return Buffer.from(raw);
    }
    case 'rsa':
    case 'ec':
    case 'sm2':
    case 'ed25519': {
      const key = parsePkcs8(spec, raw);
      if (!matchesSpec(key, spec)) fail('ValidationException', `The imported private key does not match the key spec ${spec}.`);
      return key.export({ type: 'pkcs8', format: 'der' });
    }
    case 'ml-dsa':
      return fail('UnsupportedOperationException', `keyhold cannot import key material for ${spec} keys.`);
  }
}

/** The KeyMaterialId of imported material: derived from the key and the material, as AWS does, so
 *  re-importing the same material finds the same id and different material never matches.
 *  SHA-256 over at least 224 bits of key material reveals nothing usable about it. */
export function importedMaterialId(keyId: string, material: Buffer): string {
  return createHash('sha256').update(`keyhold imported key material\0${keyId}\0`).update(material).digest('hex');
}

function parsePkcs8(spec: KeySpec, raw: Buffer): KeyObject {
  try {
    return createPrivateKey({ key: raw, format: 'der', type: 'pkcs8' });
  } catch {
    return fail('ValidationException', `Key material for ${spec} keys must be a private key in PKCS #8 DER form.`);
  }
}

function matchesSpec(key: KeyObject, spec: KeySpec): boolean {
  const info = keySpecInfo[spec];
  const details = key.asymmetricKeyDetails ?? {};
  switch (info.family) {
    case 'rsa':
      return key.asymmetricKeyType === 'rsa' && details.modulusLength === info.size;
    case 'ec':
    case 'sm2':
      return key.asymmetricKeyType === 'ec' && details.namedCurve === info.curve;
    case 'ed25519':
      return key.asymmetricKeyType === 'ed25519';
    default:
      return false;
  }
}

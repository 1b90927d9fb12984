// Every KeySpec AWS KMS offers, the key usages each may have and the algorithms of each usage,
// as the AWS KMS Developer Guide pairs them ("Key spec reference"). One table: CreateKey checks
// against it, KeyMetadata and GetPublicKey list from it, operations refuse what it does not pair.
import type { KeyUsage } from './keys.js';

export const keySpecs = [
  'SYMMETRIC_DEFAULT',
  'RSA_2048', 'RSA_3072', 'RSA_4096',
  'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'SM2',
  'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512',
  'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
] as const;
export type KeySpec = (typeof keySpecs)[number];

export type EncryptionAlgorithm = 'SYMMETRIC_DEFAULT' | 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'SM2PKE';
export type SigningAlgorithm =
  | 'RSASSA_PSS_SHA_256' | 'RSASSA_PSS_SHA_384' | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_384' | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256' | 'ECDSA_SHA_384' | 'ECDSA_SHA_512' | 'SM2DSA'
  | 'ML_DSA_SHAKE_256' | 'ED25519_SHA_512' | 'ED25519_PH_SHA_512';
export type MacAlgorithm = 'HMAC_SHA_224' | 'HMAC_SHA_256' | 'HMAC_SHA_384' | 'HMAC_SHA_512';
export type KeyAgreementAlgorithm = 'ECDH';

/** How the material is generated, stored (wrapped) and opened. */
export type KeyFamily = 'symmetric' | 'rsa' | 'ec' | 'ed25519' | 'sm2' | 'hmac' | 'ml-dsa';

export interface KeySpecInfo {
  readonly family: KeyFamily;
  /** The usages a key of this spec may be created with; the first is the default for CreateKey
   *  only where AWS has one (SYMMETRIC_DEFAULT → ENCRYPT_DECRYPT). */
  readonly usages: readonly KeyUsage[];
  readonly encryption: readonly EncryptionAlgorithm[];
  readonly signing: readonly SigningAlgorithm[];
  readonly mac: readonly MacAlgorithm[];
  readonly keyAgreement: readonly KeyAgreementAlgorithm[];
  /** RSA modulus bits, EC curve name (OpenSSL's), HMAC key bytes, ML-DSA parameter set. */
  readonly size?: number;
  readonly curve?: string;
}

const RSA_SIGNING: readonly SigningAlgorithm[] = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
];
const RSA_ENCRYPTION: readonly EncryptionAlgorithm[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const none = [] as const;

const rsa = (bits: number): KeySpecInfo => ({ family: 'rsa', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], encryption: RSA_ENCRYPTION, signing: RSA_SIGNING, mac: none, keyAgreement: none, size: bits });
const nist = (curve: string, signing: SigningAlgorithm): KeySpecInfo => ({ family: 'ec', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], encryption: none, signing: [signing], mac: none, keyAgreement: ['ECDH'], curve });
const hmac = (bytes: number, algorithm: MacAlgorithm): KeySpecInfo => ({ family: 'hmac', usages: ['GENERATE_VERIFY_MAC'], encryption: none, signing: none, mac: [algorithm], keyAgreement: none, size: bytes });
const mlDsa = (level: number): KeySpecInfo => ({ family: 'ml-dsa', usages: ['SIGN_VERIFY'], encryption: none, signing: ['ML_DSA_SHAKE_256'], mac: none, keyAgreement: none, size: level });

export const keySpecInfo: Readonly<Record<KeySpec, KeySpecInfo>> = {
  SYMMETRIC_DEFAULT: { family: 'symmetric', usages: ['ENCRYPT_DECRYPT'], encryption: ['SYMMETRIC_DEFAULT'], signing: none, mac: none, keyAgreement: none },
  RSA_2048: rsa(2048),
  RSA_3072: rsa(3072),
  RSA_4096: rsa(4096),
  ECC_NIST_P256: nist('prime256v1', 'ECDSA_SHA_256'),
  ECC_NIST_P384: nist('secp384r1', 'ECDSA_SHA_384'),
  ECC_NIST_P521: nist('secp521r1', 'ECDSA_SHA_512'),
  ECC_SECG_P256K1: { family: 'ec', usages: ['SIGN_VERIFY'], encryption: none, signing: ['ECDSA_SHA_256'], mac: none, keyAgreement: none, curve: 'secp256k1' },
  ECC_NIST_EDWARDS25519: { family: 'ed25519', usages: ['SIGN_VERIFY'], encryption: none, signing: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'], mac: none, keyAgreement: none },
  SM2: { family: 'sm2', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'], encryption: ['SM2PKE'], signing: ['SM2DSA'], mac: none, keyAgreement: ['ECDH'], curve: 'SM2' },
  HMAC_224: hmac(28, 'HMAC_SHA_224'),
  HMAC_256: hmac(32, 'HMAC_SHA_256'),
  HMAC_384: hmac(48, 'HMAC_SHA_384'),
  HMAC_512: hmac(64, 'HMAC_SHA_512'),
  ML_DSA_44: mlDsa(44),
  ML_DSA_65: mlDsa(65),
  ML_DSA_87: mlDsa(87),
};

export const isKeySpec = (value: string): value is KeySpec => Object.hasOwn(keySpecInfo, value);

/** The algorithms a key of `spec` and `usage` offers, by kind, as KeyMetadata and GetPublicKey list
 *  them: only the usage's own kind is non-empty (an RSA SIGN_VERIFY key lists no encryption). */
export function algorithmsOf(spec: KeySpec, usage: KeyUsage): Pick<KeySpecInfo, 'encryption' | 'signing' | 'mac' | 'keyAgreement'> {
  const info = keySpecInfo[spec];
  return {
    encryption: usage === 'ENCRYPT_DECRYPT' ? info.encryption : none,
    signing: usage === 'SIGN_VERIFY' ? info.signing : none,
    mac: usage === 'GENERATE_VERIFY_MAC' ? info.mac : none,
    keyAgreement: usage === 'KEY_AGREEMENT' ? info.keyAgreement : none,
  };
}

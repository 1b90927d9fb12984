// Verifies keyhold's signatures the way someone without keyhold would, from GetPublicKey's DER:
// with the openssl command, with Node's WebCrypto, and with @noble where OpenSSL 3.0 has no such
// algorithm. Written from the standards and AWS's documentation, apart from keyhold's code.
import { spawnSync } from 'node:child_process';
import { createHash, webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';

export type Verdict = 'verified' | 'refused' | 'unsupported';

const version = /^OpenSSL (\d+)\.(\d+)/.exec(spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout ?? '');
/** The openssl command's [major, minor], or undefined when there is none. */
export const opensslVersion: readonly [number, number] | undefined = version ? [Number(version[1]), Number(version[2])] : undefined;
const atLeast = (major: number, minor: number): boolean =>
  opensslVersion !== undefined && (opensslVersion[0] > major || (opensslVersion[0] === major && opensslVersion[1] >= minor));

const HASH = { '256': 'sha256', '384': 'sha384', '512': 'sha512' } as const;
/** The SHA-2 hash an AWS algorithm name ends with. */
export const shaOf = (algorithm: string): 'sha256' | 'sha384' | 'sha512' => HASH[algorithm.slice(-3) as keyof typeof HASH];

/** The subjectPublicKey bytes of a DER SubjectPublicKeyInfo whose key is its last `length` bytes. */
export const spkiTail = (der: Buffer, length: number): Buffer => der.subarray(der.length - length);

export function pem(der: Buffer): string {
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PUBLIC KEY-----\n`;
}

// --- SM2: e = SM3(Z_A ‖ M) with AWS's default distinguishing ID (GB/T 32918.2 §5.5, §6.1) -------
const SM2_CURVE = [
  'fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc', // a
  '28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93', // b
  '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7', // x_G
  'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0', // y_G
];
export const SM2_ID = '1234567812345678';

export function sm2Digest(spki: Buffer, message: Buffer): Buffer {
  const point = spkiTail(spki, 64); // x_A ‖ y_A of the uncompressed point
  const za = createHash('sm3').update(Buffer.from([0x00, 0x80])).update(SM2_ID).update(Buffer.from(SM2_CURVE.join(''), 'hex')).update(point).digest();
  return createHash('sm3').update(za).update(message).digest();
}

// --- ML-DSA: μ = SHAKE256(SHAKE256(pk, 64) ‖ 0x00 ‖ 0x00 ‖ M, 64) (FIPS 204 Algorithm 2) --------
export const ML_DSA = {
  ML_DSA_44: { publicKeyBytes: 1312, noble: ml_dsa44, webCrypto: 'ML-DSA-44' },
  ML_DSA_65: { publicKeyBytes: 1952, noble: ml_dsa65, webCrypto: 'ML-DSA-65' },
  ML_DSA_87: { publicKeyBytes: 2592, noble: ml_dsa87, webCrypto: 'ML-DSA-87' },
} as const;
export type MlDsaSpec = keyof typeof ML_DSA;

export function mlDsaMu(spec: MlDsaSpec, spki: Buffer, message: Buffer): Buffer {
  const shake = (): ReturnType<typeof createHash> => createHash('shake256', { outputLength: 64 });
  const tr = shake().update(spkiTail(spki, ML_DSA[spec].publicKeyBytes)).digest();
  return shake().update(tr).update(Buffer.from([0, 0])).update(message).digest();
}

// --- openssl -----------------------------------------------------------------------------------

export interface SignedCase {
  readonly spec: string;
  readonly algorithm: string;
  /** The message M the signature is, in the end, a signature of. */
  readonly message: Buffer;
  /** What was sent to Sign: M, its digest or its μ. */
  readonly sent: Buffer;
  readonly signature: Buffer;
  /** GetPublicKey's DER SubjectPublicKeyInfo. */
  readonly spki: Buffer;
}

/** `openssl` verifies the case in `dir`: dgst for RSA and ECDSA, pkeyutl for the rest. */
export function opensslVerify(dir: string, c: SignedCase): Verdict {
  if (opensslVersion === undefined) return 'unsupported';
  const file = (name: string, data: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };
  const [key, msg, sent, sig] = [file('key.pem', pem(c.spki)), file('msg.bin', c.message), file('sent.bin', c.sent), file('sig.bin', c.signature)];
  const pkeyutl = (input: string, ...options: string[]): string[] => ['pkeyutl', '-verify', '-pubin', '-inkey', key, '-rawin', '-in', input, '-sigfile', sig, ...options];
  let args: string[];
  if (c.algorithm.startsWith('RSASSA_PSS')) {
    const hash = shaOf(c.algorithm);
    const saltLength = String(createHash(hash).digest().length);
    args = ['dgst', `-${hash}`, '-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${saltLength}`, '-sigopt', `rsa_mgf1_md:${hash}`, '-verify', key, '-signature', sig, msg];
  } else if (c.algorithm.startsWith('RSASSA_PKCS1') || c.algorithm.startsWith('ECDSA')) {
    args = ['dgst', `-${shaOf(c.algorithm)}`, '-verify', key, '-signature', sig, msg];
  } else if (c.algorithm === 'ED25519_SHA_512') {
    args = pkeyutl(msg);
  } else if (c.algorithm === 'ED25519_PH_SHA_512') {
    if (!atLeast(3, 2)) return 'unsupported'; // Ed25519ph came with OpenSSL 3.2
    args = pkeyutl(sent, '-pkeyopt', 'instance:Ed25519ph'); // openssl prehashes what KMS was sent, as KMS does
  } else if (c.algorithm === 'SM2DSA') {
    args = pkeyutl(msg, '-digest', 'sm3', '-pkeyopt', `distid:${SM2_ID}`);
  } else if (c.algorithm === 'ML_DSA_SHAKE_256') {
    if (!atLeast(3, 5)) return 'unsupported'; // ML-DSA came with OpenSSL 3.5
    args = pkeyutl(msg);
  } else {
    throw new Error(`no openssl recipe for ${c.algorithm}`);
  }
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return run.status === 0 ? 'verified' : 'refused';
}

// --- WebCrypto ------------------------------------------------------------------------------------

const EC_SIZE: Readonly<Record<string, [string, number]>> = { ECC_NIST_P256: ['P-256', 32], ECC_NIST_P384: ['P-384', 48], ECC_NIST_P521: ['P-521', 66] };
const WEB_HASH = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;

/** DER SEQUENCE { r, s } as WebCrypto's r ‖ s of `size` bytes each. */
function p1363(der: Buffer, size: number): Buffer {
  let at = der[1] === 0x81 ? 3 : 2;
  const part = (): Buffer => {
    const length = der[at + 1] ?? 0;
    const value = der.subarray(at + 2, at + 2 + length);
    at += 2 + length;
    const digits = value[0] === 0 ? value.subarray(1) : value;
    return Buffer.concat([Buffer.alloc(size - digits.length), digits]);
  };
  return Buffer.concat([part(), part()]);
}

/** Node's WebCrypto verifies the case over M, or 'unsupported' where it has no such algorithm. */
export async function webCryptoVerify(c: SignedCase): Promise<Verdict> {
  let algorithm: { name: string; [k: string]: unknown };
  let params: { name: string; [k: string]: unknown };
  let signature = c.signature;
  if (c.algorithm.startsWith('RSASSA_PSS')) {
    const hash = shaOf(c.algorithm);
    algorithm = { name: 'RSA-PSS', hash: WEB_HASH[hash] };
    params = { name: 'RSA-PSS', saltLength: createHash(hash).digest().length };
  } else if (c.algorithm.startsWith('RSASSA_PKCS1')) {
    algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: WEB_HASH[shaOf(c.algorithm)] };
    params = { name: 'RSASSA-PKCS1-v1_5' };
  } else if (c.algorithm.startsWith('ECDSA') && EC_SIZE[c.spec] !== undefined) {
    const [namedCurve, size] = EC_SIZE[c.spec] ?? ['', 0];
    algorithm = { name: 'ECDSA', namedCurve };
    params = { name: 'ECDSA', hash: WEB_HASH[shaOf(c.algorithm)] };
    signature = p1363(c.signature, size);
  } else if (c.algorithm === 'ED25519_SHA_512') {
    algorithm = params = { name: 'Ed25519' };
  } else if (c.algorithm === 'ML_DSA_SHAKE_256') {
    algorithm = params = { name: ML_DSA[c.spec as MlDsaSpec].webCrypto };
  } else {
    return 'unsupported'; // secp256k1, SM2, Ed25519ph
  }
  let key: webcrypto.CryptoKey;
  try {
    key = await webcrypto.subtle.importKey('spki', c.spki, algorithm, false, ['verify']);
  } catch (err) {
    if ((err as Error).name === 'NotSupportedError') return 'unsupported'; // ML-DSA before Node 24
    throw err;
  }
  return (await webcrypto.subtle.verify(params, key, signature, c.message)) ? 'verified' : 'refused';
}

// --- @noble, for what OpenSSL 3.0 and WebCrypto lack ----------------------------------------------

/** Ed25519ph and ML-DSA verified by @noble, the fallback where openssl is too old. */
export function nobleVerify(c: SignedCase): Verdict {
  if (c.algorithm === 'ED25519_PH_SHA_512') {
    return ed25519ph.verify(c.signature, c.sent, spkiTail(c.spki, 32), { zip215: false }) ? 'verified' : 'refused';
  }
  if (c.algorithm === 'ML_DSA_SHAKE_256') {
    const spec = c.spec as MlDsaSpec;
    return ML_DSA[spec].noble.verify(c.signature, c.message, spkiTail(c.spki, ML_DSA[spec].publicKeyBytes)) ? 'verified' : 'refused';
  }
  return 'unsupported';
}

// The crypto of the keyed workloads done the plain node:crypto way, with no KMS around it: what the
// crypto ceiling serves, and how the bench signs the messages the ceiling verifies. Each operation
// comes synchronous (on the event loop) and asynchronous (node's callback forms and WebCrypto run
// it on libuv's thread pool): which is faster depends on the machine, so the ceiling offers both.
import { constants, createHmac, sign, verify, webcrypto, type KeyObject, type SignKeyObjectInput } from 'node:crypto';

export type CryptoMode = 'sync' | 'async';

/** node's digest and key input for a KMS signing algorithm (PSS salt = hash length, as AWS). */
function signing(algorithm: string, key: KeyObject): { digest: string | null; key: KeyObject | SignKeyObjectInput } {
  switch (algorithm) {
    case 'ECDSA_SHA_256':
      return { digest: 'sha256', key };
    case 'ED25519_SHA_512':
      return { digest: null, key };
    case 'RSASSA_PSS_SHA_256':
      return { digest: 'sha256', key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } };
    default:
      throw new Error(`raw-crypto: no signing algorithm ${algorithm}`);
  }
}

/** Signs `message` with the private key under the KMS `algorithm`. */
export function rawSign(mode: CryptoMode, algorithm: string, privateKey: KeyObject, message: Buffer): Buffer | Promise<Buffer> {
  const s = signing(algorithm, privateKey);
  if (mode === 'sync') return sign(s.digest, message, s.key);
  return new Promise((resolve, reject) => sign(s.digest, message, s.key, (err, out) => (err ? reject(err) : resolve(out))));
}

/** Verifies `signature` of `message` with the public key under the KMS `algorithm`. */
export function rawVerify(mode: CryptoMode, algorithm: string, publicKey: KeyObject, message: Buffer, signature: Buffer): boolean | Promise<boolean> {
  const s = signing(algorithm, publicKey);
  if (mode === 'sync') return verify(s.digest, message, s.key, signature);
  return new Promise((resolve, reject) => verify(s.digest, message, s.key, signature, (err, ok) => (err ? reject(err) : resolve(ok))));
}

/** HMAC-SHA-256 of `message`: createHmac, or WebCrypto's (a thread-pool job) for 'async'. */
export function rawMac(mode: CryptoMode, key: KeyObject, webKey: webcrypto.CryptoKey, message: Buffer): Buffer | Promise<Buffer> {
  if (mode === 'sync') return createHmac('sha256', key).update(message).digest();
  return webcrypto.subtle.sign('HMAC', webKey, message).then((mac) => Buffer.from(mac));
}

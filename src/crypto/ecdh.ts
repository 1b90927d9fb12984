// ECDH as AWS KMS's DeriveSharedSecret runs it: the Elliptic Curve Cryptography Cofactor
// Diffie-Hellman primitive of NIST SP 800-56A rev. 3 (§5.7.1.2), whose output, the x-coordinate of
// the shared point, is returned raw ("DeriveSharedSecret returns the raw shared secret"). On the
// NIST P curves and SM2 the cofactor is 1, so the cofactor and plain primitives are the same.
//
// On the NIST curves it runs through WebCrypto because there the scalar multiplication is a job
// on libuv's thread pool: P-521 takes about 3 ms and P-384 1.5 ms here, too long to hold the
// event loop, and node's crypto.diffieHellman is synchronous on Node 20. SM2: ecdh-sm2.ts.
import { webcrypto, type KeyObject } from 'node:crypto';
import type { KeySpec } from '../core/key-specs.js';
import { sm2PeerPoint, sm2Secret } from './ecdh-sm2.js';
import { spkiPoint, type EcdhCurve } from './ecdh-spki.js';

export type { EcdhCurve } from './ecdh-spki.js';
type NistCurve = Exclude<EcdhCurve, 'SM2'>;

/** The curve of each key spec AWS offers for KEY_AGREEMENT (Developer Guide, "Key spec reference"). */
export const ECDH_CURVE: Readonly<Partial<Record<KeySpec, EcdhCurve>>> = {
  ECC_NIST_P256: 'P-256',
  ECC_NIST_P384: 'P-384',
  ECC_NIST_P521: 'P-521',
  SM2: 'SM2',
};

/** OpenSSL's names of the NIST curves (KeyObject.asymmetricKeyDetails). */
const OPENSSL_NAME: Readonly<Record<NistCurve, string>> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };

/** A peer's public key that passed every check of `ecdhPeerKey`. */
export type EcdhPeerKey =
  | { readonly curve: NistCurve; readonly key: webcrypto.CryptoKey }
  | { readonly curve: 'SM2'; readonly point: Buffer };

// One message for every refusal: which check failed tells the caller nothing they need.
const refusal = (curve: EcdhCurve): { readonly refused: string } => ({
  refused: `PublicKey must be a DER-encoded X.509 SubjectPublicKeyInfo of an elliptic-curve public key on ${curve}, the curve of the KMS key.`,
});

/** The peer's DER SubjectPublicKeyInfo as a key to agree with on `curve`, or why it is refused
 *  (a message safe to show the caller). Security contract: accepted only when it is exactly one
 *  DER structure, an EC key on `curve` named by its OID (explicit parameters are refused) and a
 *  point on that curve (OpenSSL checks the point as it decodes it), which defeats invalid-curve
 *  attacks. Compressed points are accepted, as RFC 5480 allows. */
export async function ecdhPeerKey(curve: EcdhCurve, spki: Buffer): Promise<EcdhPeerKey | { readonly refused: string }> {
  const point = spkiPoint(spki, curve);
  if (point === undefined) return refusal(curve);
  if (curve === 'SM2') {
    const onCurve = sm2PeerPoint(point);
    return onCurve === undefined ? refusal(curve) : { curve, point: onCurve };
  }
  try {
    return { curve, key: await webcrypto.subtle.importKey('spki', spki, { name: 'ECDH', namedCurve: curve }, false, []) };
  } catch {
    return refusal(curve); // DataError: the point is not on the curve
  }
}

/** The raw shared secret (the x-coordinate, big-endian, as long as the curve's field) of
 *  `privateKey` and `peer`: secret, so the caller hands it over or zeroes it. Throws when the
 *  private key is not on the peer key's curve (choose the curve from the key's spec). */
export async function deriveEcdhSecret(privateKey: KeyObject, peer: EcdhPeerKey): Promise<Buffer> {
  if (peer.curve === 'SM2') return sm2Secret(privateKey, peer.point);
  const own = privateKey.asymmetricKeyType === 'ec' ? privateKey.asymmetricKeyDetails?.namedCurve : undefined;
  if (own !== OPENSSL_NAME[peer.curve]) throw new Error(`ECDH: the private key is not on ${peer.curve}`);
  const bits = await webcrypto.subtle.deriveBits({ name: 'ECDH', public: peer.key }, await privateCryptoKey(privateKey, peer.curve), null);
  return Buffer.from(bits);
}

// Importing a private key into WebCrypto costs about as much as one ECDH (OpenSSL checks the key),
// so each KeyObject's CryptoKey is made once and kept exactly as long as the KeyObject itself (a
// WeakMap): the key cache that holds the KeyObject decides the lifetime of both.
const imported = new WeakMap<KeyObject, Promise<webcrypto.CryptoKey>>();

function privateCryptoKey(privateKey: KeyObject, curve: NistCurve): Promise<webcrypto.CryptoKey> {
  let key = imported.get(privateKey);
  if (key === undefined) {
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    key = webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDH', namedCurve: curve }, false, ['deriveBits']);
    imported.set(privateKey, key);
    // The exported copy of the private key is zeroed once the import is done with it; a failed
    // import is forgotten, so the next request tries again (and fails loudly again).
    void key.then(
      () => pkcs8.fill(0),
      () => {
        pkcs8.fill(0);
        imported.delete(privateKey);
      },
    );
  }
  return key;
}

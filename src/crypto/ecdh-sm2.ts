// ECDH on the SM2 curve (GB/T 32918.5; cofactor 1) for DeriveSharedSecret with SM2 KEY_AGREEMENT
// keys. Node loads an SM2 PKCS#8 as a key type that neither crypto.diffieHellman nor WebCrypto
// takes, but its ECDH class works on curve "SM2"; it needs the raw private scalar, which
// sm2-key.ts reads from the key's PKCS#8. The multiplication (about 1 ms here) runs on the event
// loop: node offers no asynchronous ECDH on this curve, and SM2 keys are rare (AWS offers them in
// its China Regions only).
import { createECDH, createPublicKey, ECDH, type KeyObject } from 'node:crypto';
import { sm2PublicPoint, withSm2Scalar } from './sm2-key.js';

/** The point in uncompressed form when it is on the SM2 curve (OpenSSL checks it as it decodes
 *  the point), undefined otherwise. Takes compressed points too, as RFC 5480 allows. */
export function sm2PeerPoint(encoded: Buffer): Buffer | undefined {
  try {
    return ECDH.convertKey(encoded, 'SM2', undefined, undefined, 'uncompressed') as Buffer;
  } catch {
    return undefined;
  }
}

/** The raw shared secret (x-coordinate, 32 bytes) of an SM2 private key and a peer point that
 *  `sm2PeerPoint` accepted. Secret: the caller hands it over or zeroes it. */
export function sm2Secret(privateKey: KeyObject, peerPoint: Buffer): Buffer {
  return agreementOf(privateKey).computeSecret(peerPoint);
}

// Setting an ECDH's private key costs a scalar multiplication (it derives the public point), so
// each KeyObject's ECDH is made once and kept exactly as long as the KeyObject itself.
const agreements = new WeakMap<KeyObject, ECDH>();

function agreementOf(privateKey: KeyObject): ECDH {
  let agreement = agreements.get(privateKey);
  if (agreement === undefined) {
    const made = createECDH('SM2');
    withSm2Scalar(privateKey, (scalar) => made.setPrivateKey(scalar));
    // The point derived from the scalar must be the key's own: this proves the key is an SM2 key
    // (a scalar read from a key on another curve would give another point).
    const own = sm2PublicPoint(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
    if (!made.getPublicKey().equals(own)) throw new Error('ECDH: not an SM2 private key');
    agreement = made;
    agreements.set(privateKey, agreement);
  }
  return agreement;
}

// ECDH on the SM2 curve (GB/T 32918.5; cofactor 1) for DeriveSharedSecret with SM2 KEY_AGREEMENT
// keys. Node loads an SM2 PKCS#8 as a key type that neither crypto.diffieHellman nor WebCrypto
// takes, and its ECDH class on curve "SM2" refuses the pair on Node 24 (OpenSSL 3.5), so the
// arithmetic is @noble/curves' (constant time; points validated), on the scalar sm2-key.ts reads
// from the key's PKCS#8. About 1 ms on the event loop: SM2 keys are rare (AWS offers them in its
// China Regions only).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { Sm2Point, sm2Ecdh } from './sm2-curve.js';
import { sm2PublicPoint, withSm2Scalar } from './sm2-key.js';

const COORDINATE_BYTES = 32;

/** The point in uncompressed form when it is on the SM2 curve, undefined otherwise. Takes
 *  compressed points too, as RFC 5480 allows. */
export function sm2PeerPoint(encoded: Buffer): Buffer | undefined {
  try {
    const point = Sm2Point.fromBytes(encoded);
    point.assertValidity();
    return Buffer.from(point.toBytes(false));
  } catch {
    return undefined;
  }
}

/** The raw shared secret (x-coordinate, 32 bytes) of an SM2 private key and a peer point that
 *  `sm2PeerPoint` accepted. Secret: the caller hands it over or zeroes it. */
export function sm2Secret(privateKey: KeyObject, peerPoint: Buffer): Buffer {
  return withSm2Scalar(privateKey, (d) => {
    requireSm2Key(privateKey, d);
    const shared = sm2Ecdh.getSharedSecret(d, peerPoint, false);
    try {
      return Buffer.from(shared.subarray(1, 1 + COORDINATE_BYTES));
    } finally {
      shared.fill(0);
    }
  });
}

// Keys proven to be SM2 keys, checked once per KeyObject (the check is a scalar multiplication).
const provenSm2 = new WeakSet<KeyObject>();

/** The point the scalar gives must be the key's own: a scalar read from a key on another curve
 *  would give another point. Throws otherwise. */
function requireSm2Key(privateKey: KeyObject, d: Uint8Array): void {
  if (provenSm2.has(privateKey)) return;
  const own = sm2PublicPoint(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  if (!Buffer.from(sm2Ecdh.getPublicKey(d, false)).equals(own)) throw new Error('ECDH: not an SM2 private key');
  provenSm2.add(privateKey);
}

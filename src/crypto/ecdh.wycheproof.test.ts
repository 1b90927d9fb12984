// Wycheproof ECDH known answers on P-256, P-384 and P-521 through ecdhPeerKey and
// deriveEcdhSecret: the peer's public key comes as DER SubjectPublicKeyInfo (encoding "asn"),
// as DeriveSharedSecret receives it. Valid cases must give the reference secret; invalid ones
// (wrong curve, invalid-curve attacks, points off the curve, modified domain parameters) must be
// refused before any secret exists; acceptable ones (BER quirks, compressed points, explicit
// parameters equal to the named curve) may go either way but must never give a wrong secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, createPrivateKey, type KeyObject } from 'node:crypto';
import { deriveEcdhSecret, ecdhPeerKey, type EcdhCurve } from './ecdh.js';
import { caseName, loadWycheproof, wycheproofSkip } from '../../test/vectors/wycheproof.js';

interface EcdhGroup {
  readonly curve: string;
  readonly encoding: string;
}
interface EcdhCase {
  readonly public: string;
  readonly private: string;
  readonly shared: string;
}

/** file, WebCrypto curve, OpenSSL curve, field size in bytes */
const FILES: readonly (readonly [string, EcdhCurve, string, number])[] = [
  ['ecdh_secp256r1_test.json', 'P-256', 'prime256v1', 32],
  ['ecdh_secp384r1_test.json', 'P-384', 'secp384r1', 48],
  ['ecdh_secp521r1_test.json', 'P-521', 'secp521r1', 66],
];
const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const b64url = (b: Buffer): string => b.toString('base64url');

/** A private KeyObject from Wycheproof's big-endian scalar (which may carry a leading zero byte
 *  or be shorter than the field), through JWK, which needs the public point as well. */
function privateKeyOf(scalarHex: string, curve: EcdhCurve, opensslCurve: string, fieldBytes: number): KeyObject {
  let scalar = hex(scalarHex);
  while (scalar.length > fieldBytes && scalar[0] === 0) scalar = scalar.subarray(1);
  scalar = Buffer.concat([Buffer.alloc(fieldBytes - scalar.length), scalar]);
  const ecdh = createECDH(opensslCurve);
  ecdh.setPrivateKey(scalar);
  const point = ecdh.getPublicKey(); // 04 || x || y
  const [x, y] = [point.subarray(1, 1 + fieldBytes), point.subarray(1 + fieldBytes)];
  return createPrivateKey({ key: { kty: 'EC', crv: curve, d: b64url(scalar), x: b64url(x), y: b64url(y) }, format: 'jwk' });
}

for (const [file, curve, opensslCurve, fieldBytes] of FILES) {
  const skip = wycheproofSkip(file);
  if (skip !== false) {
    test(`ECDH ${curve} Wycheproof vectors`, { skip }, () => {});
    continue;
  }
  for (const group of loadWycheproof<EcdhGroup, EcdhCase>(file).testGroups) {
    const prefix = `ECDH(${curve}, ${group.encoding})`;
    for (const tc of group.tests) {
      test(caseName(prefix, tc), async () => {
        assert.equal(group.encoding, 'asn', 'these files give the peer key as DER SubjectPublicKeyInfo');
        const privateKey = privateKeyOf(tc.private, curve, opensslCurve, fieldBytes);
        const peer = await ecdhPeerKey(curve, hex(tc.public));
        if ('refused' in peer) {
          assert.notEqual(tc.result, 'valid', `a valid peer key was refused: ${peer.refused}`);
          return;
        }
        assert.notEqual(tc.result, 'invalid', `an invalid peer key (${tc.flags.join(', ')}) was accepted`);
        const secret = await deriveEcdhSecret(privateKey, peer);
        assert.equal(secret.length, fieldBytes, 'the raw secret is the x-coordinate, as long as the field');
        assert.deepEqual(secret.toString('hex'), tc.shared);
      });
    }
  }
}

// ecdh.ts beyond the vectors: agreement with node's own ECDH on every curve (SM2 included, which
// Wycheproof has no vectors for), refusals the vectors do not name, and the curve check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { deriveEcdhSecret, ECDH_CURVE, ecdhPeerKey, type EcdhCurve } from './ecdh.js';
import { sm2Ecdh } from './sm2-curve.js';

const spki = (k: { publicKey: KeyObject }): Buffer => k.publicKey.export({ type: 'spki', format: 'der' });
/** A key pair whose private half is loaded from PKCS#8, as the software backend opens material. */
function keyPair(namedCurve: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const pair = generateKeyPairSync('ec', { namedCurve });
  return { privateKey: createPrivateKey({ key: pair.privateKey.export({ type: 'pkcs8', format: 'der' }), format: 'der', type: 'pkcs8' }), publicKey: pair.publicKey };
}
async function agree(curve: EcdhCurve, privateKey: KeyObject, peerSpki: Buffer): Promise<Buffer> {
  const peer = await ecdhPeerKey(curve, peerSpki);
  assert.ok(!('refused' in peer), `refused: ${'refused' in peer ? peer.refused : ''}`);
  return deriveEcdhSecret(privateKey, peer);
}

test('the KEY_AGREEMENT key specs and their curves, as AWS offers them', () => {
  assert.deepEqual(ECDH_CURVE, { ECC_NIST_P256: 'P-256', ECC_NIST_P384: 'P-384', ECC_NIST_P521: 'P-521', SM2: 'SM2' });
});

for (const [curve, openssl, bytes] of [['P-256', 'prime256v1', 32], ['P-384', 'secp384r1', 48], ['P-521', 'secp521r1', 66]] as const) {
  test(`${curve}: both sides compute the same raw secret, equal to crypto.diffieHellman's`, async () => {
    const [ours, theirs] = [keyPair(openssl), keyPair(openssl)];
    const secret = await agree(curve, ours.privateKey, spki(theirs));
    assert.equal(secret.length, bytes);
    assert.deepEqual(secret, diffieHellman({ privateKey: theirs.privateKey, publicKey: ours.publicKey }));
    assert.deepEqual(await agree(curve, theirs.privateKey, spki(ours)), secret);
    // The same private key again (its CryptoKey now cached) gives the same secret.
    assert.deepEqual(await agree(curve, ours.privateKey, spki(theirs)), secret);
  });
}

test('SM2: the raw secret equals what the peer computes from its side, with either point encoding', async () => {
  const ours = keyPair('SM2');
  // The peer's side: its scalar times our point (node's ECDH class refuses SM2 pairs on Node 24).
  const peerSecretKey = sm2Ecdh.utils.randomSecretKey();
  const prefix = spki(ours).subarray(0, spki(ours).length - 65); // SEQUENCE, AlgorithmIdentifier, BIT STRING header
  const peerSpki = Buffer.concat([prefix, sm2Ecdh.getPublicKey(peerSecretKey, false)]);
  const secret = await agree('SM2', ours.privateKey, peerSpki);
  assert.equal(secret.length, 32);
  assert.deepEqual(secret, Buffer.from(sm2Ecdh.getSharedSecret(peerSecretKey, spki(ours).subarray(-65), false).subarray(1, 33)));
  // Compressed: 33 bytes of point, so the lengths in the DER headers shrink by 32.
  const compressed = Buffer.concat([Buffer.from('3039301306072a8648ce3d020106082a811ccf5501822d032200', 'hex'), sm2Ecdh.getPublicKey(peerSecretKey, true)]);
  assert.deepEqual(await agree('SM2', ours.privateKey, compressed), secret);
});

test('SM2: a point off the curve, a P-256 key and trailing bytes are refused', async () => {
  const ours = keyPair('SM2');
  const offCurve = Buffer.from(spki(ours));
  offCurve.writeUInt8((offCurve.at(-1) ?? 0) ^ 1, offCurve.length - 1);
  for (const der of [offCurve, spki(keyPair('prime256v1')), Buffer.concat([spki(keyPair('SM2')), Buffer.from([0])])]) {
    assert.ok('refused' in (await ecdhPeerKey('SM2', der)));
  }
});

test('a peer key with bytes after its DER structure is refused', async () => {
  assert.ok('refused' in (await ecdhPeerKey('P-256', Buffer.concat([spki(keyPair('prime256v1')), Buffer.from([0])]))));
});

test('peer keys that are not EC keys on the same curve are refused', async () => {
  const others = [
    spki(keyPair('secp384r1')),
    spki(keyPair('secp256k1')),
    spki(keyPair('SM2')),
    spki(generateKeyPairSync('x25519')),
    spki(generateKeyPairSync('ed25519')),
    spki(generateKeyPairSync('rsa', { modulusLength: 1024 })),
    Buffer.from('3000', 'hex'),
    Buffer.from('30ff', 'hex'),
    Buffer.from('not DER at all'),
  ];
  for (const der of others) assert.ok('refused' in (await ecdhPeerKey('P-256', der)), der.subarray(0, 32).toString('hex'));
});

test('deriveEcdhSecret throws when the private key is not on the peer key\'s curve', async () => {
  const peer = await ecdhPeerKey('P-384', spki(keyPair('secp384r1')));
  assert.ok(!('refused' in peer));
  await assert.rejects(deriveEcdhSecret(keyPair('prime256v1').privateKey, peer));
  const sm2Peer = await ecdhPeerKey('SM2', spki(keyPair('SM2')));
  assert.ok(!('refused' in sm2Peer));
  await assert.rejects(deriveEcdhSecret(keyPair('prime256v1').privateKey, sm2Peer));
});

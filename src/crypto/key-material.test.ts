// Key material for every KeySpec: what is generated, and what it opens into.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemRandom } from '../core/clock.js';
import { keySpecInfo, keySpecs, type KeySpec } from '../core/key-specs.js';
import { generateMaterial, openMaterial } from './key-material.js';

const expectedKind: Record<string, string> = { symmetric: 'symmetric', hmac: 'mac', 'ml-dsa': 'ml-dsa', rsa: 'key-pair', ec: 'key-pair', sm2: 'key-pair', ed25519: 'key-pair' };

/** What a key pair's public half must be, per spec (node's names). */
const publicKeyShape: Partial<Record<KeySpec, { type: string; detail: string | number }>> = {
  RSA_2048: { type: 'rsa', detail: 2048 },
  RSA_3072: { type: 'rsa', detail: 3072 },
  RSA_4096: { type: 'rsa', detail: 4096 },
  ECC_NIST_P256: { type: 'ec', detail: 'prime256v1' },
  ECC_NIST_P384: { type: 'ec', detail: 'secp384r1' },
  ECC_NIST_P521: { type: 'ec', detail: 'secp521r1' },
  ECC_SECG_P256K1: { type: 'ec', detail: 'secp256k1' },
  // OpenSSL 3 loads an SM2 PKCS#8 as its own key type, which node does not name: checked by OID below.
  SM2: { type: 'sm2', detail: '' },
  ECC_NIST_EDWARDS25519: { type: 'ed25519', detail: '' },
};

/** DER of OID 1.2.156.10197.1.301 (sm2p256v1). */
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');

for (const spec of keySpecs) {
  test(`${spec}: generated material opens as ${expectedKind[keySpecInfo[spec].family]} material of the spec's size`, async () => {
    const raw = await generateMaterial(spec, systemRandom);
    const opened = openMaterial(spec, 'm1', raw);
    assert.equal(opened.kind, expectedKind[keySpecInfo[spec].family]);
    assert.equal(opened.materialId, 'm1');
    if (opened.kind === 'symmetric') assert.equal(raw.length, 32);
    if (opened.kind === 'mac') assert.equal(opened.key.symmetricKeySize, keySpecInfo[spec].size);
    if (opened.kind === 'ml-dsa') assert.deepEqual([opened.keySpec, opened.seed.length], [spec, 32]);
    if (opened.kind === 'key-pair') {
      const shape = publicKeyShape[spec];
      assert.ok(shape, `${spec} has an expected public key shape`);
      const details = opened.publicKey.asymmetricKeyDetails ?? {};
      if (shape.type === 'sm2') assert.ok(opened.publicKeyDer.includes(SM2_CURVE_OID), 'the SPKI names curve SM2');
      else assert.equal(opened.publicKey.asymmetricKeyType, shape.type);
      if (shape.type === 'rsa') assert.deepEqual([details.modulusLength, details.publicExponent], [shape.detail, 65537n]);
      if (shape.type === 'ec') assert.equal(details.namedCurve, shape.detail);
      assert.equal(opened.privateKey.type, 'private');
      // The SPKI DER is the public key's own encoding, as GetPublicKey returns it.
      assert.deepEqual(opened.publicKeyDer, opened.publicKey.export({ type: 'spki', format: 'der' }));
    }
  });
}

test('opening copies the material: zeroing the plaintext buffer afterwards (as the backend does) leaves the key usable', async () => {
  const raw = await generateMaterial('HMAC_256', systemRandom);
  const copy = Buffer.from(raw);
  const opened = openMaterial('HMAC_256', 'm', raw);
  raw.fill(0);
  assert.equal(opened.kind, 'mac');
  if (opened.kind === 'mac') assert.deepEqual(opened.key.export(), copy);
});

test('two generations of the same spec differ', async () => {
  for (const spec of ['SYMMETRIC_DEFAULT', 'HMAC_512', 'ML_DSA_44', 'ECC_NIST_P256'] as const) {
    assert.notDeepEqual(await generateMaterial(spec, systemRandom), await generateMaterial(spec, systemRandom), spec);
  }
});

// The two ML-DSA engines are interchangeable: from one seed, Node's crypto and @noble/post-quantum
// derive the same public key and each verifies the other's signatures, and Node's OpenSSL reads
// and writes exactly the DER keyhold writes. Runs where the runtime has ML-DSA (CI's Node 24);
// skipped, with that reason, on Node 20.
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { MlDsaMaterial } from '../backends/key-backend.js';
import { mlDsaRawFromSpki, mlDsaSeedPkcs8, mlDsaSpki } from './ml-dsa-der.js';
import { nobleMlDsa } from './ml-dsa-noble.js';
import { nodeMlDsa } from './ml-dsa-node.js';
import { mlDsaPublicKeyDer, mlDsaSign, rawMlDsaEngine, type MlDsaKeySpec } from './ml-dsa.js';

const specs: readonly MlDsaKeySpec[] = ['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'];
const node = nodeMlDsa();
const skip = node === undefined ? `Node ${process.version}'s crypto has no ML-DSA (Node 24 with OpenSSL 3.5 has)` : false;
const seeds = [Buffer.alloc(32), Buffer.alloc(32, 0xff), randomBytes(32)];

test('rawMlDsaEngine is Node\'s crypto exactly when the runtime has ML-DSA, noble otherwise', () => {
  assert.equal(rawMlDsaEngine().name, node === undefined ? 'noble' : 'node');
});

for (const spec of specs) {
  test(`${spec}: Node and noble derive the same public key from a seed and verify each other's RAW signatures`, { skip }, () => {
    assert.ok(node);
    for (const seed of seeds) {
      const viaNode = node.signer(spec, seed);
      const viaNoble = nobleMlDsa.signer(spec, seed);
      assert.deepEqual(new Uint8Array(viaNode.publicKey), new Uint8Array(viaNoble.publicKey), `seed ${seed.toString('hex', 0, 4)}…`);
      const message = randomBytes(100);
      const [nodeSignature, nobleSignature] = [viaNode.sign(message), viaNoble.sign(message)];
      assert.equal(nobleMlDsa.verify(spec, viaNode.publicKey, message, nodeSignature), true, 'noble verifies Node');
      assert.equal(node.verify(spec, viaNoble.publicKey, message, nobleSignature), true, 'Node verifies noble');
      assert.equal(node.verify(spec, viaNoble.publicKey, randomBytes(100), nobleSignature), false);
    }
  });

  test(`${spec}: an EXTERNAL_MU signature (noble) verifies through Node's own RAW verify`, { skip }, () => {
    assert.ok(node);
    const seed = randomBytes(32);
    const signer = node.signer(spec, seed);
    const message = Buffer.from('large artefact, hashed by the caller');
    const tr = createHash('shake256', { outputLength: 64 }).update(signer.publicKey).digest();
    const mu = createHash('shake256', { outputLength: 64 }).update(tr).update(Buffer.from([0, 0])).update(message).digest();
    const key: MlDsaMaterial = { kind: 'ml-dsa', materialId: 'm', keySpec: spec, seed };
    assert.equal(node.verify(spec, signer.publicKey, message, mlDsaSign(key, mu, 'EXTERNAL_MU')), true);
  });

  test(`${spec}: Node's OpenSSL parses GetPublicKey's DER and the seed-only PKCS#8, and writes the same SPKI`, { skip }, () => {
    const key: MlDsaMaterial = { kind: 'ml-dsa', materialId: 'm', keySpec: spec, seed: randomBytes(32) };
    const der = mlDsaPublicKeyDer(key);
    const parsed = createPublicKey({ key: der, format: 'der', type: 'spki' });
    assert.equal(parsed.asymmetricKeyType, spec.toLowerCase().replace(/_/g, '-'));
    assert.deepEqual(parsed.export({ type: 'spki', format: 'der' }), der);
    const privateKey = createPrivateKey({ key: mlDsaSeedPkcs8(spec, key.seed), format: 'der', type: 'pkcs8' });
    assert.deepEqual(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }), der);
  });
}

test('mlDsaRawFromSpki takes only the exact encoding keyhold writes', () => {
  const raw = randomBytes(1312);
  const der = mlDsaSpki('ML_DSA_44', raw);
  assert.deepEqual(mlDsaRawFromSpki('ML_DSA_44', der), new Uint8Array(raw));
  assert.equal(mlDsaRawFromSpki('ML_DSA_65', der), undefined, 'another parameter set');
  assert.equal(mlDsaRawFromSpki('ML_DSA_44', Buffer.concat([der, Buffer.alloc(1)])), undefined, 'trailing byte');
  const withParameters = Buffer.from(der);
  withParameters[5] = 0x0d; // a longer AlgorithmIdentifier claims parameters
  assert.equal(mlDsaRawFromSpki('ML_DSA_44', withParameters), undefined);
});

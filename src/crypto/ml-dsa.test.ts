// ML-DSA through keyhold's API: RAW and EXTERNAL_MU round trips at every level, the contract on
// malformed input, and the public key GetPublicKey returns (checked by openssl where it can).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { MlDsaMaterial } from '../backends/key-backend.js';
import { MlDsaInputError, mlDsaPublicKey, mlDsaPublicKeyDer, mlDsaSign, mlDsaVerify, type MlDsaKeySpec } from './ml-dsa.js';

const specs: readonly MlDsaKeySpec[] = ['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'];
const sizes = { ML_DSA_44: [1312, 2420], ML_DSA_65: [1952, 3309], ML_DSA_87: [2592, 4627] } as const;
/** SPKI header: SEQUENCE, AlgorithmIdentifier { id-ml-dsa-NN } without parameters, BIT STRING, 0 unused bits. */
const spkiHeader = {
  ML_DSA_44: '30820532300b06096086480165030403110382052100',
  ML_DSA_65: '308207b2300b0609608648016503040312038207a100',
  ML_DSA_87: '30820a32300b060960864801650304031303820a2100',
} as const;

const material = (keySpec: MlDsaKeySpec, seed: Buffer = randomBytes(32)): MlDsaMaterial => ({ kind: 'ml-dsa', materialId: 'm1', keySpec, seed });
const shake64 = (...parts: Uint8Array[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('shake256', { outputLength: 64 })).digest();
/** μ of FIPS 204 Algorithm 2 with the empty context, computed apart from the code under test:
 *  SHAKE256(tr || 0x00 || 0x00 || M, 64) with tr = SHAKE256(pk, 64). */
const muOf = (publicKey: Uint8Array, message: Uint8Array): Buffer => shake64(shake64(publicKey), Buffer.from([0, 0]), message);

for (const spec of specs) {
  const [publicKeyBytes, signatureBytes] = sizes[spec];

  test(`${spec}: a RAW signature of M and an EXTERNAL_MU signature of μ(M) both verify as RAW signatures of M`, () => {
    const key = material(spec);
    const publicKey = mlDsaPublicKey(key);
    const message = Buffer.from('keyhold ML-DSA round trip');
    const mu = muOf(publicKey, message);
    const raw = mlDsaSign(key, message, 'RAW');
    const external = mlDsaSign(key, mu, 'EXTERNAL_MU');
    assert.deepEqual([publicKey.length, raw.length, external.length], [publicKeyBytes, signatureBytes, signatureBytes]);
    for (const signature of [raw, external]) {
      assert.equal(mlDsaVerify(spec, publicKey, message, 'RAW', signature), true);
      assert.equal(mlDsaVerify(spec, publicKey, mu, 'EXTERNAL_MU', signature), true);
      assert.equal(mlDsaVerify(spec, publicKey, Buffer.from('another message'), 'RAW', signature), false);
      assert.equal(mlDsaVerify(spec, mlDsaPublicKey(material(spec)), message, 'RAW', signature), false, 'another key');
    }
  });

  test(`${spec}: signing is hedged: two signatures of one message differ and both verify`, () => {
    const key = material(spec);
    const message = Buffer.from('same message');
    const [a, b] = [mlDsaSign(key, message, 'RAW'), mlDsaSign(key, message, 'RAW')];
    assert.notDeepEqual(a, b);
    for (const signature of [a, b]) assert.equal(mlDsaVerify(spec, mlDsaPublicKey(key), message, 'RAW', signature), true);
  });

  test(`${spec}: one seed gives one public key, and GetPublicKey's DER is the SPKI header then that key`, () => {
    const seed = randomBytes(32);
    const publicKey = mlDsaPublicKey(material(spec, seed));
    assert.deepEqual(mlDsaPublicKey(material(spec, Buffer.from(seed))), publicKey);
    const der = mlDsaPublicKeyDer(material(spec, seed));
    assert.equal(der.length, spkiHeader[spec].length / 2 + publicKeyBytes);
    assert.equal(der.subarray(0, der.length - publicKeyBytes).toString('hex'), spkiHeader[spec]);
    assert.deepEqual(new Uint8Array(der.subarray(der.length - publicKeyBytes)), publicKey);
  });

  test(`${spec}: mlDsaVerify returns false, never throws, for malformed signatures and public keys`, () => {
    const key = material(spec);
    const publicKey = mlDsaPublicKey(key);
    const message = Buffer.from('m');
    const good = Buffer.from(mlDsaSign(key, message, 'RAW'));
    const flipped = Buffer.from(good);
    flipped[100] = (flipped[100] ?? 0) ^ 0x01;
    const signatures = [Buffer.alloc(0), good.subarray(1), Buffer.concat([good, Buffer.alloc(1)]), flipped, Buffer.alloc(signatureBytes), Buffer.alloc(signatureBytes, 0xff)];
    for (const signature of signatures) {
      assert.equal(mlDsaVerify(spec, publicKey, message, 'RAW', signature), false, `signature of ${signature.length} bytes`);
      assert.equal(mlDsaVerify(spec, publicKey, muOf(publicKey, message), 'EXTERNAL_MU', signature), false);
    }
    for (const badKey of [new Uint8Array(0), publicKey.subarray(1), Buffer.concat([publicKey, Buffer.alloc(1)]), new Uint8Array(publicKeyBytes)]) {
      assert.equal(mlDsaVerify(spec, badKey, message, 'RAW', good), false, `public key of ${badKey.length} bytes`);
      assert.equal(mlDsaVerify(spec, badKey, muOf(publicKey, message), 'EXTERNAL_MU', good), false);
    }
  });
}

test('Precondition: an EXTERNAL_MU message is exactly 64 bytes (sign and verify throw MlDsaInputError)', () => {
  const key = material('ML_DSA_44');
  const signature = mlDsaSign(key, Buffer.alloc(64), 'EXTERNAL_MU');
  for (const length of [0, 32, 63, 65, 4096]) {
    assert.throws(() => mlDsaSign(key, Buffer.alloc(length), 'EXTERNAL_MU'), MlDsaInputError);
    assert.throws(() => mlDsaVerify('ML_DSA_44', mlDsaPublicKey(key), Buffer.alloc(length), 'EXTERNAL_MU', signature), MlDsaInputError);
  }
});

test('Precondition: ML-DSA material is a 32-byte seed (anything else is refused, not expanded)', () => {
  for (const length of [0, 31, 33, 64]) assert.throws(() => mlDsaPublicKey(material('ML_DSA_65', randomBytes(length))), /not a 32-byte seed/);
});

test('the public key handed out is a copy: changing it changes neither the next answer nor the DER', () => {
  const key = material('ML_DSA_44');
  const first = mlDsaPublicKey(key);
  const copy = Uint8Array.from(first);
  first.fill(0);
  assert.deepEqual(mlDsaPublicKey(key), copy);
  assert.deepEqual(new Uint8Array(mlDsaPublicKeyDer(key).subarray(22)), copy);
});

/** Why the openssl CLI cannot check ML-DSA here, or false when it can (OpenSSL 3.5+). */
function opensslSkip(): string | false {
  const listed = spawnSync('openssl', ['list', '-signature-algorithms'], { encoding: 'utf8' });
  if (listed.error !== undefined || listed.status !== 0) return 'no usable openssl on PATH';
  if (/ML-DSA-44/i.test(listed.stdout)) return false;
  const version = spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim();
  return `${version} has no ML-DSA (OpenSSL 3.5+ does)`;
}

test('openssl parses GetPublicKey\'s DER and `pkeyutl -verify` accepts RAW and EXTERNAL_MU signatures', { skip: opensslSkip() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-mldsa-'));
  try {
    for (const spec of specs) {
      const key = material(spec);
      const der = mlDsaPublicKeyDer(key);
      const message = Buffer.from(`signed by ${spec}`);
      const paths = { der: join(dir, 'pub.der'), pem: join(dir, 'pub.pem'), msg: join(dir, 'msg'), sig: join(dir, 'sig') };
      writeFileSync(paths.der, der);
      writeFileSync(paths.pem, `-----BEGIN PUBLIC KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PUBLIC KEY-----\n`);
      writeFileSync(paths.msg, message);
      const text = spawnSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', paths.der, '-text', '-noout'], { encoding: 'utf8' });
      assert.equal(text.status, 0, text.stderr);
      assert.ok(text.stdout.includes(spec.replace(/_/g, '-')), text.stdout); // e.g. "ML-DSA-44 Public-Key:"
      for (const signature of [mlDsaSign(key, message, 'RAW'), mlDsaSign(key, muOf(mlDsaPublicKey(key), message), 'EXTERNAL_MU')]) {
        writeFileSync(paths.sig, signature);
        const verified = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', paths.pem, '-rawin', '-in', paths.msg, '-sigfile', paths.sig], { encoding: 'utf8' });
        assert.equal(verified.status, 0, `${spec}: ${verified.stdout}${verified.stderr}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// SM2PKE: round trips at the sizes that matter (one byte, one and two SM3 blocks, AWS's 1024-byte
// limit), interoperability both ways with OpenSSL 3's `pkeyutl` (an independent implementation,
// and the one the AWS KMS Developer Guide names as writing AWS's ciphertext format), and refusal
// (null, never a throw) of every changed byte, another key and malformed DER.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemRandom } from '../core/clock.js';
import type { KeyPairMaterial } from '../backends/key-backend.js';
import { generateMaterial, openMaterial } from './key-material.js';
import { decodeSm2Cipher, encodeSm2Cipher } from './sm2-ciphertext.js';
import { sm2Decrypt, sm2Encrypt } from './sm2.js';

/** An SM2 key pair opened the way keyhold opens stored material (PKCS#8 → KeyObject). */
async function sm2Pair(): Promise<{ material: KeyPairMaterial; pkcs8: Buffer }> {
  const pkcs8 = await generateMaterial('SM2', systemRandom);
  const material = openMaterial('SM2', '00'.repeat(32), Buffer.from(pkcs8));
  assert.equal(material.kind, 'key-pair');
  return { material, pkcs8 };
}

const opensslSkip = spawnSync('openssl', ['version']).status === 0 ? false : 'the openssl command is not installed';

test('SM2PKE round trips 1, 32, 33, 64, 65 and 1024 bytes, and each encryption is fresh', async () => {
  const { material } = await sm2Pair();
  for (const size of [1, 32, 33, 64, 65, 1024]) {
    const message = systemRandom.bytes(size);
    const first = sm2Encrypt(material.publicKeyDer, message, systemRandom);
    const second = sm2Encrypt(material.publicKeyDer, message, systemRandom);
    assert.notDeepEqual(first, second, `${size}: a fresh k each time`);
    assert.deepEqual(sm2Decrypt(material.privateKey, first), message, `${size} bytes`);
    assert.equal(decodeSm2Cipher(first)?.c2.length, size, 'C2 is as long as the message');
  }
});

test('SM2PKE refuses every changed byte, another key, and trailing bytes (null, not a throw)', async () => {
  const { material } = await sm2Pair();
  const other = await sm2Pair();
  const ciphertext = sm2Encrypt(material.publicKeyDer, Buffer.from('attack at dawn'), systemRandom);
  for (let i = 0; i < ciphertext.length; i++) {
    const tampered = Buffer.from(ciphertext);
    tampered[i] = (tampered[i] ?? 0) ^ 0x01;
    assert.equal(sm2Decrypt(material.privateKey, tampered), null, `byte ${i} flipped`);
  }
  assert.equal(sm2Decrypt(other.material.privateKey, ciphertext), null, 'another key');
  assert.equal(sm2Decrypt(material.privateKey, Buffer.concat([ciphertext, Buffer.from([0])])), null, 'trailing byte');
  assert.equal(sm2Decrypt(material.privateKey, ciphertext.subarray(0, ciphertext.length - 1)), null, 'truncated');
  assert.equal(sm2Decrypt(material.privateKey, Buffer.alloc(0)), null, 'empty');
});

test('SM2Cipher DER: coordinates with leading zero bytes or a high bit round trip in minimal form', () => {
  const c1 = Buffer.concat([Buffer.from([4]), Buffer.alloc(31), Buffer.from([0x05]), Buffer.from([0x80]), Buffer.alloc(31, 0x11)]);
  const parts = { c1, c3: Buffer.alloc(32, 0xc3), c2: Buffer.alloc(100, 0xc2) };
  const der = encodeSm2Cipher(parts);
  // x = 5 is one content byte; y has its high bit set, so it is 0x00-prefixed to 33 bytes.
  assert.deepEqual(der.subarray(0, 10), Buffer.from([0x30, 0x81, 3 + 35 + 34 + 102, 0x02, 0x01, 0x05, 0x02, 0x21, 0x00, 0x80]));
  assert.deepEqual(decodeSm2Cipher(der), parts);
});

test('SM2Cipher DER: non-minimal lengths and integers, negative coordinates, a short hash and an empty C2 are refused', () => {
  const int = (bytes: number[]): number[] => [0x02, bytes.length, ...bytes];
  const octets = (n: number, fill: number): number[] => [0x04, n, ...new Array<number>(n).fill(fill)];
  const cipher = (fields: number[]): Buffer => Buffer.from([0x30, fields.length, ...fields]);
  const good = [...int([1]), ...int([2]), ...octets(32, 3), ...octets(4, 4)];
  assert.ok(decodeSm2Cipher(cipher(good)), 'the well-formed shape parses');
  assert.equal(decodeSm2Cipher(Buffer.from([0x30, 0x81, good.length, ...good])), null, 'long-form length under 128');
  assert.equal(decodeSm2Cipher(cipher([...int([0, 1]), ...good.slice(3)])), null, 'integer with a needless leading zero');
  assert.equal(decodeSm2Cipher(cipher([...int([0x81]), ...good.slice(3)])), null, 'negative integer');
  assert.equal(decodeSm2Cipher(cipher([...int([1]), ...int([2]), ...octets(31, 3), ...octets(4, 4)])), null, '31-byte hash');
  assert.equal(decodeSm2Cipher(cipher([...int([1]), ...int([2]), ...octets(32, 3), 0x04, 0x00])), null, 'empty C2');
  assert.equal(decodeSm2Cipher(cipher([...good, 0x05, 0x00])), null, 'an extra field');
  assert.equal(decodeSm2Cipher(Buffer.from([0x30, 0x80, ...good, 0, 0])), null, 'indefinite length');
});

test('SM2PKE interoperates with OpenSSL 3 pkeyutl in both directions', { skip: opensslSkip }, async () => {
  const { material, pkcs8 } = await sm2Pair();
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-sm2-'));
  try {
    const keyFile = join(dir, 'key.der');
    const pubFile = join(dir, 'pub.der');
    writeFileSync(keyFile, pkcs8, { mode: 0o600 });
    writeFileSync(pubFile, material.publicKeyDer);
    for (const size of [1, 47, 1024]) {
      const message = systemRandom.bytes(size);
      const plainFile = join(dir, 'plain.bin');
      const theirsFile = join(dir, 'theirs.der');
      writeFileSync(plainFile, message);
      execFileSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-keyform', 'DER', '-inkey', pubFile, '-in', plainFile, '-out', theirsFile]);
      assert.deepEqual(sm2Decrypt(material.privateKey, readFileSync(theirsFile)), message, `OpenSSL → keyhold, ${size} bytes`);

      const oursFile = join(dir, 'ours.der');
      writeFileSync(oursFile, sm2Encrypt(material.publicKeyDer, message, systemRandom));
      const opened = execFileSync('openssl', ['pkeyutl', '-decrypt', '-keyform', 'DER', '-inkey', keyFile, '-in', oursFile]);
      assert.deepEqual(opened, message, `keyhold → OpenSSL, ${size} bytes`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

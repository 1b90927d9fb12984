// Unit tests of the ciphertext blob: layout, strict decoding, and tamper-evidence end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { GCM_TAG_BYTES, openGcm, sealGcm } from '../crypto/aes-gcm.js';
import { HEADER_BYTES, decodeBlob, encodeBlob, encodeHeader } from './ciphertext.js';
import { canonicalContext } from './context.js';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const MATERIAL_ID = 'a1'.repeat(32);
const IV = Buffer.from('000102030405060708090a0b', 'hex');

function sampleBlob(ciphertextBytes = 5): Buffer {
  return encodeBlob(encodeHeader(KEY_ID, MATERIAL_ID, IV), Buffer.alloc(ciphertextBytes, 0xcc), Buffer.alloc(GCM_TAG_BYTES, 0xdd));
}

test('the header is magic, version, key id, material id and IV at fixed offsets', () => {
  const header = encodeHeader(KEY_ID, MATERIAL_ID, IV);
  assert.equal(header.length, HEADER_BYTES);
  assert.equal(HEADER_BYTES, 62);
  assert.equal(header.toString('hex'), '6b01' + KEY_ID.replaceAll('-', '') + MATERIAL_ID + IV.toString('hex'));
});

test('decodeBlob returns exactly what encodeBlob was given', () => {
  const header = encodeHeader(KEY_ID, MATERIAL_ID, IV);
  const ciphertext = randomBytes(40);
  const tag = randomBytes(GCM_TAG_BYTES);
  const parts = decodeBlob(encodeBlob(header, ciphertext, tag));
  assert.ok(parts);
  assert.equal(parts.keyId, KEY_ID);
  assert.equal(parts.materialId, MATERIAL_ID);
  assert.deepEqual(parts.iv, IV);
  assert.deepEqual(parts.header, header);
  assert.deepEqual(parts.ciphertext, ciphertext);
  assert.deepEqual(parts.tag, tag);
});

test('decodeBlob rejects blobs too short to hold a header, one ciphertext byte and a tag', () => {
  assert.ok(decodeBlob(sampleBlob(1)), 'the minimum length decodes');
  for (const len of [0, 1, 2, HEADER_BYTES, HEADER_BYTES + GCM_TAG_BYTES]) {
    assert.equal(decodeBlob(sampleBlob(1).subarray(0, len)), null, `length ${len}`);
  }
  // An empty ciphertext is not a valid blob either (KMS plaintexts are at least one byte).
  assert.equal(decodeBlob(sampleBlob(0)), null);
});

test('decodeBlob rejects a wrong magic byte or an unknown version', () => {
  for (const [at, value] of [[0, 0x6a], [0, 0x00], [1, 0], [1, 2], [1, 0xff]] as const) {
    const blob = Buffer.from(sampleBlob());
    blob[at] = value;
    assert.equal(decodeBlob(blob), null, `byte ${at} = ${value}`);
  }
});

test('the decoded parts are frozen', () => {
  const parts = decodeBlob(sampleBlob());
  assert.ok(parts);
  assert.ok(Object.isFrozen(parts));
  assert.throws(() => {
    (parts as { keyId: string }).keyId = 'other';
  }, TypeError);
});

test('encodeHeader refuses malformed key ids, material ids and IVs', () => {
  assert.throws(() => encodeHeader('not-a-uuid', MATERIAL_ID, IV), RangeError);
  assert.throws(() => encodeHeader(KEY_ID, 'a1'.repeat(31), IV), RangeError);
  assert.throws(() => encodeHeader(KEY_ID, MATERIAL_ID, Buffer.alloc(16)), RangeError);
});

// The full path as the service uses it: AAD = header || canonicalContext(context).
const key = createSecretKey(randomBytes(32));
const CONTEXT = { tenant: 'acme', purpose: 'backup' };
const PLAINTEXT = Buffer.from('attack at dawn');

function seal(context: Record<string, string> | undefined): Buffer {
  const iv = randomBytes(12);
  const header = encodeHeader(KEY_ID, MATERIAL_ID, iv);
  const sealed = sealGcm(key, iv, PLAINTEXT, Buffer.concat([header, canonicalContext(context)]));
  return encodeBlob(header, sealed.ciphertext, sealed.tag);
}

function open(blob: Buffer, context: Record<string, string> | undefined): Buffer | null {
  const parts = decodeBlob(blob);
  if (parts === null) return null;
  return openGcm(key, parts.iv, parts.ciphertext, parts.tag, Buffer.concat([parts.header, canonicalContext(context)]));
}

test('seal then open with the same context returns the plaintext', () => {
  assert.deepEqual(open(seal(CONTEXT), { purpose: 'backup', tenant: 'acme' }), PLAINTEXT);
  assert.deepEqual(open(seal(undefined), {}), PLAINTEXT, 'absent and empty contexts are the same');
});

test('flipping any single byte of the blob makes decoding or opening fail', () => {
  const blob = seal(CONTEXT);
  for (let i = 0; i < blob.length; i++) {
    for (const mask of [0x01, 0x80]) {
      const tampered = Buffer.from(blob);
      tampered[i] = (tampered[i] ?? 0) ^ mask;
      assert.equal(open(tampered, CONTEXT), null, `byte ${i} ^ 0x${mask.toString(16)}`);
    }
  }
});

test('truncating or extending the blob makes decoding or opening fail', () => {
  const blob = seal(CONTEXT);
  assert.equal(open(blob.subarray(0, blob.length - 1), CONTEXT), null);
  assert.equal(open(Buffer.concat([blob, Buffer.from([0])]), CONTEXT), null);
});

test('opening under any other context fails', () => {
  const blob = seal(CONTEXT);
  for (const other of [
    undefined,
    { tenant: 'acme' },
    { tenant: 'acme', purpose: 'Backup' },
    { tenant: 'acme', purpose: 'backup', extra: '' },
    { tenant: 'acmepurpose', '': 'backup' },
  ]) {
    assert.equal(open(blob, other), null, JSON.stringify(other) ?? 'undefined');
  }
});

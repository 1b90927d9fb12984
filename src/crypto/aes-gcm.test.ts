// AES-GCM properties beyond the vectors: only full-length tags authenticate.
import assert from 'node:assert/strict';
import { createSecretKey, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { openGcm, sealGcm } from './aes-gcm.js';

test('openGcm refuses a truncated tag even when its bytes are a prefix of the right tag', () => {
  const key = createSecretKey(randomBytes(32));
  const iv = randomBytes(12);
  const aad = Buffer.from('aad');
  const { ciphertext, tag } = sealGcm(key, iv, Buffer.from('message'), aad);
  assert.deepEqual(openGcm(key, iv, ciphertext, tag, aad), Buffer.from('message'));
  for (const length of [4, 8, 12, 15]) assert.equal(openGcm(key, iv, ciphertext, tag.subarray(0, length), aad), null);
});

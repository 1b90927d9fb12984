// Wycheproof HMAC-SHA-224/256/384/512 known answers through hmacTag and hmacVerify. AWS's MACs
// are full length, so groups with truncated tags check the tag's prefix and that VerifyMac's
// comparison refuses the truncated tag itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import type { MacAlgorithm } from '../core/key-specs.js';
import { hmacTag, hmacVerify } from './hmac.js';
import { caseName, loadWycheproof, wycheproofSkip } from '../../test/vectors/wycheproof.js';

interface MacGroup {
  readonly keySize: number;
  readonly tagSize: number;
}
interface MacCase {
  readonly key: string;
  readonly msg: string;
  readonly tag: string;
}

const FILES: readonly (readonly [string, MacAlgorithm, number])[] = [
  ['hmac_sha224_test.json', 'HMAC_SHA_224', 224],
  ['hmac_sha256_test.json', 'HMAC_SHA_256', 256],
  ['hmac_sha384_test.json', 'HMAC_SHA_384', 384],
  ['hmac_sha512_test.json', 'HMAC_SHA_512', 512],
];
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

for (const [file, algorithm, fullBits] of FILES) {
  const skip = wycheproofSkip(file);
  if (skip !== false) {
    test(`${algorithm} Wycheproof vectors`, { skip }, () => {});
    continue;
  }
  for (const group of loadWycheproof<MacGroup, MacCase>(file).testGroups) {
    const prefix = `${algorithm}(key ${group.keySize}, tag ${group.tagSize})`;
    const truncated = group.tagSize < fullBits;
    for (const tc of group.tests) {
      test(caseName(prefix, tc), () => {
        const key = createSecretKey(hex(tc.key));
        const [msg, tag] = [hex(tc.msg), hex(tc.tag)];
        const computed = hmacTag(key, algorithm, msg);
        assert.equal(computed.length, fullBits / 8, 'the tag is always full length');
        if (truncated) {
          // The reference tag is a prefix of ours exactly when the case is valid.
          if (tc.result === 'valid') assert.deepEqual(computed.subarray(0, tag.length), tag);
          if (tc.result === 'invalid') assert.notDeepEqual(computed.subarray(0, tag.length), tag);
          assert.equal(hmacVerify(key, algorithm, msg, tag), false, 'a truncated tag is not a MAC AWS KMS accepts');
        } else if (tc.result === 'valid') {
          assert.deepEqual(computed, tag);
          assert.equal(hmacVerify(key, algorithm, msg, tag), true);
        } else if (tc.result === 'invalid') {
          assert.equal(hmacVerify(key, algorithm, msg, tag), false);
        }
        // No case is "acceptable" in these files; one would need no more than not throwing.
      });
    }
  }
}

test('hmacVerify: a tag of the wrong length, empty or too long, is false and never throws', () => {
  const key = createSecretKey(Buffer.alloc(32, 7));
  const msg = Buffer.from('message');
  const tag = hmacTag(key, 'HMAC_SHA_256', msg);
  assert.equal(hmacVerify(key, 'HMAC_SHA_256', msg, tag), true);
  assert.equal(hmacVerify(key, 'HMAC_SHA_256', msg, Buffer.alloc(0)), false);
  assert.equal(hmacVerify(key, 'HMAC_SHA_256', msg, Buffer.concat([tag, Buffer.from([0])])), false);
  assert.equal(hmacVerify(key, 'HMAC_SHA_256', msg, tag.subarray(0, 16)), false);
  // The same key under another algorithm gives another tag.
  assert.equal(hmacVerify(key, 'HMAC_SHA_512', msg, tag), false);
});

// Wycheproof AES-GCM known answers: sealGcm/openGcm agree with the reference on every case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createSecretKey, type CipherGCMTypes } from 'node:crypto';
import { openGcm, sealGcm } from './aes-gcm.js';
import { caseName, loadWycheproof, wycheproofSkip } from '../../test/vectors/wycheproof.js';

const FILE = 'aes_gcm_test.json';

interface AeadGroup {
  readonly keySize: number;
  readonly ivSize: number;
  readonly tagSize: number;
}
interface AeadCase {
  readonly key: string;
  readonly iv: string;
  readonly aad: string;
  readonly msg: string;
  readonly ct: string;
  readonly tag: string;
}

/** Why Node cannot even build a cipher with these sizes, or undefined if it can. OpenSSL
 *  refuses empty IVs and IVs over 128 bytes; the former are invalid cases, the latter valid. */
function unconstructable(g: AeadGroup): string | undefined {
  try {
    const key = createSecretKey(Buffer.alloc(g.keySize / 8));
    createCipheriv(`aes-${g.keySize}-gcm` as CipherGCMTypes, key, Buffer.alloc(g.ivSize / 8), { authTagLength: g.tagSize / 8 });
    return undefined;
  } catch (e) {
    return `Node/OpenSSL cannot construct AES-GCM with a ${g.ivSize / 8}-byte IV (${(e as Error).message})`;
  }
}

const skip = wycheproofSkip(FILE);
if (skip !== false) {
  test('AES-GCM Wycheproof vectors', { skip }, () => {});
} else {
  for (const group of loadWycheproof<AeadGroup, AeadCase>(FILE).testGroups) {
    const prefix = `AES-GCM(${group.keySize},${group.ivSize},${group.tagSize})`;
    const cannot = unconstructable(group);
    for (const tc of group.tests) {
      const hex = (s: string): Buffer => Buffer.from(s, 'hex');
      const key = createSecretKey(hex(tc.key));
      const [iv, aad, msg, ct, tag] = [hex(tc.iv), hex(tc.aad), hex(tc.msg), hex(tc.ct), hex(tc.tag)];
      // A valid case Node cannot run proves nothing either way, so it is skipped, not passed.
      const opts = cannot !== undefined && tc.result !== 'invalid' ? { skip: cannot } : {};
      test(caseName(prefix, tc), opts, () => {
        const opened = openGcm(key, iv, ct, tag, aad);
        if (tc.result === 'valid') {
          assert.deepEqual(opened, msg, 'openGcm must decrypt to the vector message');
          // sealGcm always makes 16-byte tags, so only 128-bit-tag vectors can be reproduced.
          if (group.tagSize === 128) {
            const sealed = sealGcm(key, iv, msg, aad);
            assert.deepEqual(sealed.ciphertext, ct);
            assert.deepEqual(sealed.tag, tag);
          }
        } else if (tc.result === 'invalid') {
          assert.equal(opened, null, 'openGcm must reject (null, not throw) an invalid case');
          // Parameters Node refuses must make sealGcm throw, never emit output.
          if (cannot !== undefined) assert.throws(() => sealGcm(key, iv, msg, aad));
        } else if (opened !== null) {
          assert.deepEqual(opened, msg, 'an acceptable case may be refused but never misdecrypted');
        }
      });
    }
  }
}

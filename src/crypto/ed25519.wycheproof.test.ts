// Wycheproof Ed25519 known answers (pure Ed25519, RFC 8032) through verifySignature with
// ED25519_SHA_512, which takes RAW messages only. The file has no "acceptable" cases.
import { test } from 'node:test';
import { caseName, loadWycheproof, wycheproofSkip } from '../../test/vectors/wycheproof.js';
import { checkSignatureCase, hex, spkiKey } from '../../test/vectors/signature-cases.js';

interface EddsaGroup {
  readonly publicKeyDer: string;
}
interface EddsaCase {
  readonly msg: string;
  readonly sig: string;
}

const FILE = 'ed25519_test.json';
const skip = wycheproofSkip(FILE);
if (skip !== false) {
  test('ED25519_SHA_512 Wycheproof vectors', { skip }, () => {});
} else {
  for (const group of loadWycheproof<EddsaGroup, EddsaCase>(FILE).testGroups) {
    const publicKey = spkiKey(group.publicKeyDer);
    for (const tc of group.tests) {
      test(caseName('ED25519_SHA_512', tc), () => checkSignatureCase(publicKey, 'ED25519_SHA_512', hex(tc.msg), hex(tc.sig), tc.result));
    }
  }
}

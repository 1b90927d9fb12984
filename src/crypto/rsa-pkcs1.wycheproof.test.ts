// Wycheproof RSASSA-PKCS1-v1_5 known answers through verifySignature, RAW (node) and DIGEST
// (keyhold's encode-and-compare). "Acceptable" cases are MissingNull: a DigestInfo without the
// NULL parameters. keyhold refuses them: RFC 8017 §9.2 encodes the NULL, AWS KMS signs with it,
// and comparing against the one canonical encoding is what keeps parsing bugs out.
import { test } from 'node:test';
import type { SigningAlgorithm } from '../core/key-specs.js';
import { caseName, loadWycheproof, wycheproofSkip } from '../../test/vectors/wycheproof.js';
import { checkSignatureCase, hex, nodeHash, spkiKey } from '../../test/vectors/signature-cases.js';

interface Pkcs1Group {
  readonly keySize: number;
  readonly sha: string;
  readonly publicKeyDer: string;
}
interface Pkcs1Case {
  readonly msg: string;
  readonly sig: string;
}

const ALGORITHM: Readonly<Record<string, SigningAlgorithm>> = {
  sha256: 'RSASSA_PKCS1_V1_5_SHA_256', sha384: 'RSASSA_PKCS1_V1_5_SHA_384', sha512: 'RSASSA_PKCS1_V1_5_SHA_512',
};

for (const bits of [2048, 3072, 4096]) {
  for (const sha of ['sha256', 'sha384', 'sha512']) {
    const file = `rsa_signature_${bits}_${sha}_test.json`;
    const skip = wycheproofSkip(file);
    if (skip !== false) {
      test(`RSASSA-PKCS1-v1_5 ${file}`, { skip }, () => {});
      continue;
    }
    for (const group of loadWycheproof<Pkcs1Group, Pkcs1Case>(file).testGroups) {
      const algorithm = ALGORITHM[nodeHash(group.sha)] as SigningAlgorithm;
      const publicKey = spkiKey(group.publicKeyDer);
      for (const tc of group.tests) {
        test(caseName(`${algorithm}(${group.keySize})`, tc), () => checkSignatureCase(publicKey, algorithm, hex(tc.msg), hex(tc.sig), tc.result, false));
      }
    }
  }
}

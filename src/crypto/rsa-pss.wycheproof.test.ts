// Wycheproof RSASSA-PSS known answers through verifySignature, RAW (node) and DIGEST (keyhold's
// EMSA-PSS). Only groups with AWS KMS's parameters run: MGF1 with the message hash and a salt of
// hash length; the files hold no "acceptable" cases.
import { test } from 'node:test';
import type { SigningAlgorithm } from '../core/key-specs.js';
import { caseName, loadWycheproof, wycheproofSkip } from '../../test/vectors/wycheproof.js';
import { checkSignatureCase, hex, nodeHash, spkiKey } from '../../test/vectors/signature-cases.js';

interface PssGroup {
  readonly keySize: number;
  readonly sha: string;
  readonly mgf: string;
  readonly mgfSha: string;
  readonly sLen: number;
  readonly publicKeyDer: string;
}
interface PssCase {
  readonly msg: string;
  readonly sig: string;
}

const FILES = [
  'rsa_pss_2048_sha256_mgf1_32_test.json', 'rsa_pss_2048_sha384_mgf1_48_test.json', 'rsa_pss_3072_sha256_mgf1_32_test.json',
  'rsa_pss_4096_sha256_mgf1_32_test.json', 'rsa_pss_4096_sha384_mgf1_48_test.json', 'rsa_pss_4096_sha512_mgf1_64_test.json',
];
const ALGORITHM: Readonly<Record<string, SigningAlgorithm>> = { sha256: 'RSASSA_PSS_SHA_256', sha384: 'RSASSA_PSS_SHA_384', sha512: 'RSASSA_PSS_SHA_512' };
const HASH_BYTES: Readonly<Record<string, number>> = { sha256: 32, sha384: 48, sha512: 64 };

for (const file of FILES) {
  const skip = wycheproofSkip(file);
  if (skip !== false) {
    test(`RSASSA-PSS ${file}`, { skip }, () => {});
    continue;
  }
  for (const group of loadWycheproof<PssGroup, PssCase>(file).testGroups) {
    const hash = nodeHash(group.sha);
    const algorithm = ALGORITHM[hash] as SigningAlgorithm;
    const prefix = `${algorithm}(${group.keySize}, ${group.mgf}-${group.mgfSha}, salt ${group.sLen})`;
    const awsParameters = group.mgf === 'MGF1' && group.mgfSha === group.sha && group.sLen === HASH_BYTES[hash];
    const publicKey = spkiKey(group.publicKeyDer);
    for (const tc of group.tests) {
      const options = awsParameters ? {} : { skip: 'not the parameters of any AWS KMS algorithm' };
      test(caseName(prefix, tc), options, () => checkSignatureCase(publicKey, algorithm, hex(tc.msg), hex(tc.sig), tc.result));
    }
  }
}

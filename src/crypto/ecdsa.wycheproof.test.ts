// Wycheproof ECDSA known answers (P-256, P-384, P-521, secp256k1; DER signatures) through
// verifySignature, RAW (node) and DIGEST (@noble/curves behind keyhold's strict DER decoder).
// These files have no "acceptable" cases: BER encodings and malleable variants are invalid.
import { test } from 'node:test';
import type { SigningAlgorithm } from '../core/key-specs.js';
import { caseName, loadWycheproof, wycheproofSkip } from '../../test/vectors/wycheproof.js';
import { checkSignatureCase, hex, spkiKey } from '../../test/vectors/signature-cases.js';

interface EcdsaGroup {
  readonly publicKeyDer: string;
  readonly sha: string;
}
interface EcdsaCase {
  readonly msg: string;
  readonly sig: string;
}

const FILES: readonly (readonly [string, string, SigningAlgorithm])[] = [
  ['ecdsa_secp256r1_sha256_test.json', 'P-256', 'ECDSA_SHA_256'],
  ['ecdsa_secp384r1_sha384_test.json', 'P-384', 'ECDSA_SHA_384'],
  ['ecdsa_secp521r1_sha512_test.json', 'P-521', 'ECDSA_SHA_512'],
  ['ecdsa_secp256k1_sha256_test.json', 'secp256k1', 'ECDSA_SHA_256'],
];

for (const [file, curve, algorithm] of FILES) {
  const skip = wycheproofSkip(file);
  if (skip !== false) {
    test(`${algorithm} on ${curve} Wycheproof vectors`, { skip }, () => {});
    continue;
  }
  for (const group of loadWycheproof<EcdsaGroup, EcdsaCase>(file).testGroups) {
    const publicKey = spkiKey(group.publicKeyDer);
    for (const tc of group.tests) {
      test(caseName(`${algorithm}(${curve})`, tc), () => checkSignatureCase(publicKey, algorithm, hex(tc.msg), hex(tc.sig), tc.result));
    }
  }
}

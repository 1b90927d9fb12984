// Wycheproof ML-DSA known answers: every verify case through mlDsaVerify and through each engine
// this runtime has; key generation from a seed and signing through mlDsaPublicKey/mlDsaSign.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MlDsaMaterial } from '../backends/key-backend.js';
import type { MlDsaEngine } from './ml-dsa-engine.js';
import { mlDsaSeedPkcs8, mlDsaSizes, mlDsaSpki } from './ml-dsa-der.js';
import { nobleMlDsa } from './ml-dsa-noble.js';
import { nodeMlDsa } from './ml-dsa-node.js';
import { mlDsaPublicKey, mlDsaSign, mlDsaVerify, type MlDsaKeySpec } from './ml-dsa.js';
import { caseName, loadWycheproof, wycheproofSkip, type WycheproofCase } from '../../test/vectors/wycheproof.js';

/** mldsa_verify_schema.json */
interface VerifyGroup {
  readonly publicKey: string;
  readonly publicKeyDer: string;
}
interface VerifyCase {
  readonly msg: string;
  readonly sig: string;
  readonly ctx?: string;
}
/** mldsa_sign_seed_schema.json: seed and key are null or empty in the bad-seed-length groups. */
interface SignGroup {
  readonly privateSeed: string | null;
  readonly publicKey: string | null;
  readonly privateKeyPkcs8?: string | null;
}
interface SignCase {
  readonly msg?: string;
  readonly mu?: string;
  readonly ctx?: string;
  readonly rnd?: string;
  readonly sig: string;
}

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const engines: readonly MlDsaEngine[] = [nobleMlDsa, nodeMlDsa()].filter((e) => e !== undefined);
const NON_EMPTY_CONTEXT = 'non-empty context string: keyhold, like AWS KMS, offers pure ML-DSA with the empty context only';

/** Why a case cannot be expressed through keyhold's API, or undefined. */
const contextSkip = (tc: { readonly ctx?: string }): string | undefined => (tc.ctx !== undefined && tc.ctx !== '' ? NON_EMPTY_CONTEXT : undefined);

for (const [file, spec] of [['mldsa_44_verify_test.json', 'ML_DSA_44'], ['mldsa_65_verify_test.json', 'ML_DSA_65'], ['mldsa_87_verify_test.json', 'ML_DSA_87']] as const) {
  const skip = wycheproofSkip(file);
  if (skip !== false) {
    test(`${spec} Wycheproof verify vectors`, { skip }, () => {});
    continue;
  }
  const vectors = loadWycheproof<VerifyGroup, VerifyCase>(file);
  for (const group of vectors.testGroups) {
    const publicKey = hex(group.publicKey);
    for (const tc of group.tests) {
      const reason = contextSkip(tc);
      test(caseName(`${vectors.algorithm} verify`, tc), reason === undefined ? {} : { skip: reason }, () => {
        const [message, signature] = [hex(tc.msg), hex(tc.sig)];
        if (publicKey.length === mlDsaSizes[spec].publicKey) assert.deepEqual(mlDsaSpki(spec, publicKey), hex(group.publicKeyDer), 'keyhold writes the vector\'s SPKI');
        const verdicts = [['mlDsaVerify', mlDsaVerify(spec, publicKey, message, 'RAW', signature)] as const, ...engines.map((e) => [e.name, e.verify(spec, publicKey, message, signature)] as const)];
        for (const [by, verdict] of verdicts) {
          if (tc.result === 'valid') assert.equal(verdict, true, `${by} must accept a valid signature`);
          if (tc.result === 'invalid') assert.equal(verdict, false, `${by} must reject an invalid signature`);
        }
      });
    }
  }
}

const SIGN_FILE = 'mldsa_65_sign_seed_test.json';
const signSkip = wycheproofSkip(SIGN_FILE);
if (signSkip !== false) {
  test('ML_DSA_65 Wycheproof sign-from-seed vectors', { skip: signSkip }, () => {});
} else {
  const vectors = loadWycheproof<SignGroup, SignCase>(SIGN_FILE);
  const spec: MlDsaKeySpec = 'ML_DSA_65';
  for (const group of vectors.testGroups) {
    for (const tc of group.tests) {
      // The vectors are deterministic (rnd = 0) or made with a given rnd; keyhold signs hedged
      // with its own randomness, so it checks that the expected signature verifies and that its
      // own signature does, rather than reproducing the bytes.
      const prefix = `${vectors.algorithm} sign from seed${tc.result === 'valid' ? ' (hedged: expected signature verified, not reproduced)' : ''}`;
      const reason = contextSkip(tc);
      test(caseName(prefix, tc), reason === undefined ? {} : { skip: reason }, () => {
        const seed = hex(group.privateSeed ?? '');
        const key: MlDsaMaterial = { kind: 'ml-dsa', materialId: `tc${tc.tcId}`, keySpec: spec, seed };
        if (tc.result === 'invalid') return expectRefused(tc, key);
        checkSeedCase(group, tc, key);
      });
    }
  }
}

/** The only invalid sign cases keyhold can express are seeds of the wrong length. */
function expectRefused(tc: WycheproofCase, key: MlDsaMaterial): void {
  assert.deepEqual(tc.flags, ['IncorrectPrivateKeyLength'], 'no other invalid case is expected');
  assert.throws(() => mlDsaPublicKey(key));
  for (const engine of engines) assert.throws(() => engine.signer(key.keySpec, key.seed), engine.name);
}

function checkSeedCase(group: SignGroup, tc: SignCase & WycheproofCase, key: MlDsaMaterial): void {
  const spec = key.keySpec;
  const publicKey = hex(group.publicKey ?? '');
  assert.deepEqual(mlDsaPublicKey(key), new Uint8Array(publicKey), 'keygen from the seed gives the vector\'s public key');
  for (const engine of engines) assert.deepEqual(new Uint8Array(engine.signer(spec, key.seed).publicKey), new Uint8Array(publicKey), engine.name);
  if (group.privateKeyPkcs8) assert.deepEqual(mlDsaSeedPkcs8(spec, key.seed), hex(group.privateKeyPkcs8), 'keyhold writes the vector\'s seed-only PKCS#8');
  const expected = hex(tc.sig);
  if (tc.msg !== undefined) {
    const message = hex(tc.msg);
    assert.equal(mlDsaVerify(spec, publicKey, message, 'RAW', expected), true, 'the expected signature verifies as RAW');
    assert.equal(mlDsaVerify(spec, publicKey, message, 'RAW', mlDsaSign(key, message, 'RAW')), true, 'keyhold\'s RAW signature verifies');
  }
  if (tc.mu !== undefined) {
    const mu = hex(tc.mu);
    assert.equal(mlDsaVerify(spec, publicKey, mu, 'EXTERNAL_MU', expected), true, 'the expected signature verifies over μ');
    const ours = mlDsaSign(key, mu, 'EXTERNAL_MU');
    assert.equal(mlDsaVerify(spec, publicKey, mu, 'EXTERNAL_MU', ours), true, 'keyhold\'s EXTERNAL_MU signature verifies');
    if (tc.msg !== undefined) assert.equal(mlDsaVerify(spec, publicKey, hex(tc.msg), 'RAW', ours), true, 'and verifies as a RAW signature of msg');
  }
}

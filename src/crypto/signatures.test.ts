// signMessage and verifySignature for every AWS KMS signing algorithm: round trips RAW and
// DIGEST, a RAW signature verifying as its DIGEST and back, AWS's message rules, Ed25519ph's
// RFC 8032 answer, SM2 against OpenSSL with AWS's distinguishing ID, and malformed signatures.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SigningAlgorithm } from '../core/key-specs.js';
import { ed25519phSign, ed25519phVerify } from './eddsa-signatures.js';
import { publicKeyBits } from './key-bytes.js';
import { messageProblem, signingAlgorithmInfo, type MessageType } from './signing-algorithms.js';
import { signMessage, verifySignature, type SigningKey } from './signatures.js';
import { sm2Digest } from './sm2-signature.js';

type Pair = { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
/** A key pair as keyhold opens stored material: parsed from PKCS #8 DER. That matters: OpenSSL 3
 *  loads an SM2 key read this way with another key type than a freshly generated one. */
function opened(generated: Pair): Pair {
  const privateKey = createPrivateKey({ key: generated.privateKey.export({ type: 'pkcs8', format: 'der' }), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
const pairs: Readonly<Record<string, () => Pair>> = {
  'RSA 2048': () => opened(generateKeyPairSync('rsa', { modulusLength: 2048 })),
  'P-256': () => opened(generateKeyPairSync('ec', { namedCurve: 'prime256v1' })),
  'P-384': () => opened(generateKeyPairSync('ec', { namedCurve: 'secp384r1' })),
  'P-521': () => opened(generateKeyPairSync('ec', { namedCurve: 'secp521r1' })),
  secp256k1: () => opened(generateKeyPairSync('ec', { namedCurve: 'secp256k1' })),
  SM2: () => opened(generateKeyPairSync('ec', { namedCurve: 'SM2' })),
  Ed25519: () => opened(generateKeyPairSync('ed25519')),
};
const algorithmsOf: Readonly<Record<string, readonly SigningAlgorithm[]>> = {
  'RSA 2048': ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'],
  'P-256': ['ECDSA_SHA_256'],
  'P-384': ['ECDSA_SHA_384'],
  'P-521': ['ECDSA_SHA_512'],
  secp256k1: ['ECDSA_SHA_256'],
  SM2: ['SM2DSA'],
  Ed25519: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
};
const message = Buffer.from('keyhold signs this');

/** The DIGEST form of `message` for `algorithm`, as a caller computes it. */
function digestOf(algorithm: SigningAlgorithm, pair: Pair): Buffer {
  const { hash } = signingAlgorithmInfo[algorithm];
  if (hash === 'sm3') return sm2Digest(publicKeyBits(pair.publicKey), message);
  return createHash(hash ?? 'sha512').update(message).digest();
}

for (const [name, generate] of Object.entries(pairs)) {
  const pair = generate();
  const signing: SigningKey = { kind: 'key-pair', ...pair };
  const verifying = { kind: 'key-pair', publicKey: pair.publicKey } as const;
  for (const algorithm of algorithmsOf[name] ?? []) {
    test(`${algorithm} on ${name}: every message type it takes round-trips, and other messages, keys and bit flips fail`, () => {
      const other = generate().publicKey;
      for (const messageType of signingAlgorithmInfo[algorithm].messageTypes) {
        const input = { algorithm, messageType, message: messageType === 'RAW' ? message : digestOf(algorithm, pair) };
        const signature = signMessage(signing, input);
        assert.equal(verifySignature(verifying, input, signature), true, messageType);
        assert.equal(verifySignature(verifying, { ...input, message: Buffer.from(input.message).reverse() }, signature), false);
        assert.equal(verifySignature({ kind: 'key-pair', publicKey: other }, input, signature), false);
        const flipped = Buffer.from(signature);
        flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 0x01;
        assert.equal(verifySignature(verifying, input, flipped), false);
      }
    });

    const types = signingAlgorithmInfo[algorithm].messageTypes;
    if (types.includes('RAW') && types.includes('DIGEST')) {
      test(`${algorithm} on ${name}: a RAW signature verifies as a signature of its DIGEST, and back`, () => {
        const raw = { algorithm, messageType: 'RAW' as const, message };
        const digest = { algorithm, messageType: 'DIGEST' as const, message: digestOf(algorithm, pair) };
        assert.equal(verifySignature(verifying, digest, signMessage(signing, raw)), true);
        assert.equal(verifySignature(verifying, raw, signMessage(signing, digest)), true);
      });
    }

    test(`${algorithm} on ${name}: malformed signatures are false, never an exception`, () => {
      const input = { algorithm, messageType: types[0] as MessageType, message: types[0] === 'RAW' ? message : digestOf(algorithm, pair) };
      const good = Buffer.from(signMessage(signing, input));
      const malformed = [Buffer.alloc(1), Buffer.alloc(good.length), Buffer.alloc(6144, 0xff), randomBytes(good.length), good.subarray(0, -1), Buffer.concat([good, Buffer.alloc(1)])];
      for (const signature of malformed) assert.equal(verifySignature(verifying, input, signature), false);
    });
  }
}

test('AWS message rules: DIGEST must be the hash length, Ed25519 takes one type each, EXTERNAL_MU is ML-DSA only', () => {
  const bytes = (n: number): Buffer => Buffer.alloc(n);
  assert.equal(messageProblem('ECDSA_SHA_256', 'DIGEST', bytes(32)), undefined);
  assert.equal(messageProblem('ECDSA_SHA_256', 'DIGEST', bytes(31)), 'Digest is invalid length for algorithm ECDSA_SHA_256.');
  assert.equal(messageProblem('RSASSA_PSS_SHA_384', 'DIGEST', bytes(32)), 'Digest is invalid length for algorithm RSASSA_PSS_SHA_384.');
  assert.equal(messageProblem('SM2DSA', 'DIGEST', bytes(32)), undefined);
  assert.equal(messageProblem('ED25519_SHA_512', 'DIGEST', bytes(64)), 'Message type DIGEST is incompatible with algorithm ED25519_SHA_512.');
  assert.equal(messageProblem('ED25519_PH_SHA_512', 'RAW', bytes(64)), 'Message type RAW is incompatible with algorithm ED25519_PH_SHA_512.');
  assert.equal(messageProblem('ED25519_PH_SHA_512', 'DIGEST', bytes(32)), 'Digest is invalid length for algorithm ED25519_PH_SHA_512.');
  assert.equal(messageProblem('ECDSA_SHA_256', 'EXTERNAL_MU', bytes(64)), 'Message type EXTERNAL_MU is incompatible with algorithm ECDSA_SHA_256.');
  assert.equal(messageProblem('ML_DSA_SHAKE_256', 'DIGEST', bytes(64)), 'Message type DIGEST is incompatible with algorithm ML_DSA_SHAKE_256.');
  assert.equal(messageProblem('ML_DSA_SHAKE_256', 'EXTERNAL_MU', bytes(63)), 'An EXTERNAL_MU message must be 64 bytes long.');
  assert.throws(() => signMessage({ kind: 'key-pair', ...generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) }, { algorithm: 'ECDSA_SHA_256', messageType: 'DIGEST', message: bytes(20) }), RangeError);
});

test('Ed25519ph: RFC 8032 §7.3 test vector (SHA(abc)), and ED25519_PH_SHA_512 hashes the caller\'s digest again', () => {
  const b64url = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');
  const x = 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf';
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: b64url(x), d: b64url('833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42') };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  const expected = '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406';
  assert.equal(Buffer.from(ed25519phSign(privateKey, Buffer.from('abc'))).toString('hex'), expected);
  assert.equal(ed25519phVerify(publicKey, Buffer.from('abc'), Buffer.from(expected, 'hex')), true);
  // AWS: the DIGEST message M (a SHA-512 digest) is what Ed25519ph signs, so PH(M) = SHA-512(M).
  const digest = createHash('sha512').update('abc').digest();
  const viaKms = signMessage({ kind: 'key-pair', privateKey, publicKey }, { algorithm: 'ED25519_PH_SHA_512', messageType: 'DIGEST', message: digest });
  assert.deepEqual(Buffer.from(viaKms), Buffer.from(ed25519phSign(privateKey, digest)));
  assert.notEqual(Buffer.from(viaKms).toString('hex'), expected);
});

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const opensslSkip = openssl.status === 0 && /^OpenSSL 3/.test(openssl.stdout) ? false : 'OpenSSL 3 command line not found';

test('SM2DSA interoperates with OpenSSL using AWS\'s distinguishing ID 1234567812345678, both ways', { skip: opensslSkip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-sm2-'));
  try {
    const pair = opened(generateKeyPairSync('ec', { namedCurve: 'SM2' }));
    const file = (name: string, content?: string | Buffer): string => {
      const path = join(dir, name);
      if (content !== undefined) writeFileSync(path, content);
      return path;
    };
    const run = (args: string[]): number | null => spawnSync('openssl', args, { stdio: 'ignore' }).status;
    const [msg, pub, key] = [file('msg', message), file('pub.pem', pair.publicKey.export({ type: 'spki', format: 'pem' })), file('key.pem', pair.privateKey.export({ type: 'pkcs8', format: 'pem' }))];
    const ours = file('ours.sig', Buffer.from(signMessage({ kind: 'key-pair', ...pair }, { algorithm: 'SM2DSA', messageType: 'RAW', message })));
    const verifyArgs = (sig: string, id: string): string[] => ['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', pub, '-in', msg, '-sigfile', sig, '-pkeyopt', `distid:${id}`];
    assert.equal(run(verifyArgs(ours, '1234567812345678')), 0, 'openssl verifies keyhold\'s signature');
    assert.notEqual(run(verifyArgs(ours, 'another-id')), 0, 'the distinguishing ID is part of what is signed');
    assert.equal(run(['pkeyutl', '-sign', '-rawin', '-digest', 'sm3', '-inkey', key, '-in', msg, '-out', file('theirs.sig'), '-pkeyopt', 'distid:1234567812345678']), 0);
    const theirs = readFileSync(join(dir, 'theirs.sig'));
    const verifying = { kind: 'key-pair', publicKey: pair.publicKey } as const;
    assert.equal(verifySignature(verifying, { algorithm: 'SM2DSA', messageType: 'RAW', message }, theirs), true, 'keyhold verifies openssl\'s signature');
    assert.equal(verifySignature(verifying, { algorithm: 'SM2DSA', messageType: 'DIGEST', message: sm2Digest(publicKeyBits(pair.publicKey), message) }, theirs), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

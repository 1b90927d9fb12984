// Keys for the crypto ceiling: generated here, once per run, written to a file the ceiling's
// workers all read (so every worker holds the same keys), and used here to sign the message its
// Verify rows check. KeyIds name how the ceiling serves them (crypto-ceiling.ts).
import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchKeySpec, KeyFixture, Workload } from './key-workloads.js';
import { VERIFY_MESSAGE } from './key-workloads.js';
import { rawSign, type CryptoMode } from './raw-crypto.js';
import type { TempDir } from './tempdir.js';

const generate = promisify(generateKeyPair);

/** What the ceiling reads: per spec, a PKCS#8 private key or an HMAC secret, base64. */
export interface CeilingKeyFile {
  readonly keys: Partial<Record<BenchKeySpec, { readonly pkcs8?: string; readonly secret?: string }>>;
}

/** How the ceiling serves a request: its crypto mode, and with `-sigv4` also SigV4 verification. */
export type CeilingMode = CryptoMode | `${CryptoMode}-sigv4`;

export const ceilingKeyId = (mode: CeilingMode, spec: BenchKeySpec): string => `ceiling/${mode}/${spec}`;

async function privateKeyFor(spec: BenchKeySpec): Promise<KeyObject> {
  switch (spec) {
    case 'ECC_NIST_P256':
      return (await generate('ec', { namedCurve: 'prime256v1' })).privateKey;
    case 'ECC_NIST_EDWARDS25519':
      return (await generate('ed25519', {})).privateKey;
    case 'RSA_2048':
    case 'RSA_4096':
      return (await generate('rsa', { modulusLength: spec === 'RSA_2048' ? 2048 : 4096 })).privateKey;
    case 'HMAC_256':
      throw new Error('HMAC keys are secrets, not key pairs');
  }
}

/** Writes the key file for `workloads` into `dir` and returns its path and, per mode and spec,
 *  the fixture the bench sends (Verify signatures made with the same private key). */
export async function makeCeilingKeys(workloads: readonly Workload[], dir: TempDir): Promise<{ file: string; fixtures: (mode: CeilingMode, spec: BenchKeySpec) => KeyFixture }> {
  const keys: Record<string, { pkcs8?: string; secret?: string }> = {};
  const signatures: Record<string, Record<string, string>> = {};
  for (const spec of new Set(workloads.map((w) => w.spec))) {
    if (spec === 'HMAC_256') {
      keys[spec] = { secret: randomBytes(32).toString('base64') };
      continue;
    }
    const privateKey = await privateKeyFor(spec);
    keys[spec] = { pkcs8: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64') };
    const own: Record<string, string> = {};
    for (const w of workloads.filter((x) => x.spec === spec && x.operation === 'Verify')) {
      own[w.algorithm] = (await rawSign('async', w.algorithm, privateKey, VERIFY_MESSAGE)).toString('base64');
    }
    signatures[spec] = own;
  }
  const file = join(dir.path, 'ceiling-keys.json');
  writeFileSync(file, JSON.stringify({ keys } satisfies CeilingKeyFile), { mode: 0o600 });
  return { file, fixtures: (mode, spec) => ({ keyId: ceilingKeyId(mode, spec), signatures: signatures[spec] ?? {} }) };
}

/** The key pair of a key file entry. */
export function keyPairOf(pkcs8: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

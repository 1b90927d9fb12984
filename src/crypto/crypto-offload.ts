// Where each piece of signing work runs: on the event loop when it is short, in the CryptoPool's
// threads when it would stall every other request for too long.
//
// Measured on the machine CI uses (2 cores, Node 20.20, OpenSSL 3.0.19), µs per operation:
//   round trip to a pool thread ..................... 80, or 110 carrying a KeyObject
//   RSA sign, 2048 / 3072 / 4096 bits ............... 360 / 2 370 / 4 270; RSA verify, any size: 35–70
//   ECDSA in node (RAW), sign / verify .............. P-256 26 / 72; secp256k1 410 / 410;
//                                                     P-384 800 / 660; P-521 1 930 / 2 030
//   Ed25519 in node, sign / verify .................. 85 / 170
//   @noble/curves (ECDSA DIGEST, Ed25519ph, SM2) .... sign 700–2 200, verify 1 300–9 700
//   ML-DSA-44 / 65 / 87 ............................. sign 6 400–9 200, verify 1 600–3 100,
//                                                     seed expansion 1 700–3 000
// The line is 500 µs of event loop for one operation. ECDSA P-256, Ed25519 and RSA verification
// cost less than the round trip itself. RSA-2048 signing (360 µs) costs more than a round trip
// but stays too: it is under the line, and the trip would add a third to its latency.
import type { MlDsaMaterial } from '../backends/key-backend.js';
import { runCryptoJob, type CryptoJob, type CryptoResult, type MlDsaPublicKeys } from './crypto-jobs.js';
import { signingAlgorithmInfo } from './signing-algorithms.js';
import type { CryptoPool } from './worker-pool.js';

const OFF_LOOP_FROM_MICROS = 500;

/** [sign, verify] µs for ECDSA in node, by OpenSSL curve name. */
const NODE_ECDSA_MICROS: Readonly<Record<string, readonly [number, number]>> = {
  prime256v1: [26, 72],
  secp256k1: [410, 410],
  secp384r1: [800, 660],
  secp521r1: [1930, 2030],
};
const RSA_2048_SIGN_MICROS = 360;
const RSA_LARGER_SIGN_MICROS = 2370;
const RSA_VERIFY_MICROS = 70;
const ED25519_MICROS = 170;
const NOBLE_MICROS = 700;
const ML_DSA_MICROS = 1600;

/** About how long `job` holds the thread that runs it. */
function estimatedMicros(job: CryptoJob): number {
  if (job.op === 'ml-dsa-public-key' || job.key.kind === 'ml-dsa') return ML_DSA_MICROS;
  const signing = job.op === 'sign';
  const details = job.key.publicKey.asymmetricKeyDetails;
  switch (signingAlgorithmInfo[job.input.algorithm].scheme) {
    case 'rsa-pss':
    case 'rsa-pkcs1':
      if (!signing) return RSA_VERIFY_MICROS;
      return (details?.modulusLength ?? Infinity) <= 2048 ? RSA_2048_SIGN_MICROS : RSA_LARGER_SIGN_MICROS;
    case 'ecdsa': {
      const node = NODE_ECDSA_MICROS[details?.namedCurve ?? ''];
      return job.input.messageType === 'RAW' && node !== undefined ? node[signing ? 0 : 1] : NOBLE_MICROS;
    }
    case 'ed25519':
      return ED25519_MICROS;
    case 'ed25519ph':
    case 'sm2':
      return NOBLE_MICROS;
    case 'ml-dsa':
      return ML_DSA_MICROS;
  }
}

/** Whether `job` is run by a pool thread rather than on the event loop. */
export function runsOffLoop(job: CryptoJob): boolean {
  return estimatedMicros(job) >= OFF_LOOP_FROM_MICROS;
}

/** Runs `job` where it belongs: in `pool` when it is slow and there is a pool, else right here. */
export async function runCrypto<J extends CryptoJob>(pool: CryptoPool | undefined, job: J): Promise<CryptoResult<J>> {
  return pool !== undefined && runsOffLoop(job) ? pool.run(job) : runCryptoJob(job);
}

/* An ML-DSA key's public halves, expanded once per opened material (the WeakMap lets them go with
 * the key cache's material object); a failed expansion is forgotten so the next request retries. */
const mlDsaPublic = new WeakMap<MlDsaMaterial, Promise<MlDsaPublicKeys>>();

/** The public key of an ML-DSA material, raw and as DER SubjectPublicKeyInfo. */
export function mlDsaPublicKeys(pool: CryptoPool | undefined, material: MlDsaMaterial): Promise<MlDsaPublicKeys> {
  let keys = mlDsaPublic.get(material);
  if (keys === undefined) {
    keys = runCrypto(pool, { op: 'ml-dsa-public-key', material });
    mlDsaPublic.set(material, keys);
    void keys.catch(() => mlDsaPublic.delete(material));
  }
  return keys;
}

// Slow cryptography as messages a worker thread can take: each job holds only what structured
// clone carries (KeyObjects, typed arrays, plain objects), and one function runs a job, on the
// event loop or in a thread alike.
import type { MlDsaMaterial } from '../backends/key-backend.js';
import { mlDsaPublicKey, mlDsaPublicKeyDer } from './ml-dsa.js';
import { signMessage, verifySignature, type SignatureInput, type SigningKey, type VerifyingKey } from './signatures.js';

export interface MlDsaPublicKeys {
  /** The raw public key, as ML-DSA verification takes it. */
  readonly raw: Uint8Array;
  /** DER SubjectPublicKeyInfo, as GetPublicKey returns it. */
  readonly der: Uint8Array;
}

export type CryptoJob =
  | { readonly op: 'sign'; readonly key: SigningKey; readonly input: SignatureInput }
  | { readonly op: 'verify'; readonly key: VerifyingKey; readonly input: SignatureInput; readonly signature: Uint8Array }
  // Expanding an ML-DSA seed into its key pair costs about as much as a signature.
  | { readonly op: 'ml-dsa-public-key'; readonly material: MlDsaMaterial };

interface Results {
  readonly sign: Uint8Array;
  readonly verify: boolean;
  readonly 'ml-dsa-public-key': MlDsaPublicKeys;
}

export type CryptoResult<J extends CryptoJob = CryptoJob> = Results[J['op']];

export function runCryptoJob<J extends CryptoJob>(job: J): CryptoResult<J>;
export function runCryptoJob(job: CryptoJob): CryptoResult {
  switch (job.op) {
    case 'sign':
      return signMessage(job.key, job.input);
    case 'verify':
      return verifySignature(job.key, job.input, job.signature);
    case 'ml-dsa-public-key':
      return { raw: mlDsaPublicKey(job.material), der: mlDsaPublicKeyDer(job.material) };
  }
}

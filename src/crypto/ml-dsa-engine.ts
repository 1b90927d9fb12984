// What an ML-DSA implementation must offer keyhold. Two exist (ml-dsa-node.ts, ml-dsa-noble.ts);
// ml-dsa.ts alone chooses between them.
import type { MlDsaKeySpec } from './ml-dsa-der.js';

/** A key expanded from its seed, ready to sign. Holds secret state: keep it no longer than the
 *  key material it came from. */
export interface MlDsaSigner {
  /** The raw FIPS 204 public key pk. */
  readonly publicKey: Uint8Array;
  /** Pure ML-DSA.Sign of `message` with the empty context, hedged (fresh randomness each call). */
  sign(message: Uint8Array): Uint8Array;
}

export interface MlDsaEngine {
  readonly name: 'node' | 'noble';
  /** Expands seed ξ (FIPS 204 ML-DSA.KeyGen_internal); throws unless it is 32 bytes. */
  signer(spec: MlDsaKeySpec, seed: Uint8Array): MlDsaSigner;
  /** Pure ML-DSA.Verify with the empty context. False, never an exception, for a signature or
   *  public key of any malformed length or encoding. */
  verify(spec: MlDsaKeySpec, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

// ML-DSA by @noble/post-quantum, pure TypeScript: runs on every Node version keyhold supports,
// and is the one engine that can sign or verify an external μ (FIPS 204 §6.2 Sign_internal).
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import type { MlDsaEngine, MlDsaSigner } from './ml-dsa-engine.js';
import type { MlDsaKeySpec } from './ml-dsa-der.js';

const parameterSets = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 } satisfies Record<MlDsaKeySpec, unknown>;

export interface NobleMlDsaSigner extends MlDsaSigner {
  /** ML-DSA.Sign_internal over a caller-computed 64-byte μ, hedged. */
  signMu(mu: Uint8Array): Uint8Array;
}

export interface NobleMlDsaEngine extends MlDsaEngine {
  signer(spec: MlDsaKeySpec, seed: Uint8Array): NobleMlDsaSigner;
  verifyMu(spec: MlDsaKeySpec, publicKey: Uint8Array, mu: Uint8Array, signature: Uint8Array): boolean;
}

export const nobleMlDsa: NobleMlDsaEngine = {
  name: 'noble',

  signer(spec: MlDsaKeySpec, seed: Uint8Array): NobleMlDsaSigner {
    const dsa = parameterSets[spec];
    const { publicKey, secretKey } = dsa.keygen(seed);
    return {
      publicKey,
      // No extraEntropy option: noble then draws 32 fresh random bytes, the hedged variant.
      sign: (message) => dsa.sign(message, secretKey),
      signMu: (mu) => dsa.internal.sign(mu, secretKey, { externalMu: true }),
    };
  },

  // noble returns false for a malformed signature but throws for a public key of the wrong
  // length (and on argument checks); the contract is false in every such case.
  verify(spec: MlDsaKeySpec, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    try {
      return parameterSets[spec].verify(signature, message, publicKey);
    } catch {
      return false;
    }
  },

  verifyMu(spec: MlDsaKeySpec, publicKey: Uint8Array, mu: Uint8Array, signature: Uint8Array): boolean {
    try {
      return parameterSets[spec].internal.verify(signature, mu, publicKey, { externalMu: true });
    } catch {
      return false;
    }
  },
};

// ML-DSA through Node's own crypto, where the runtime has it (Node 24 with OpenSSL 3.5; not
// Node 20). Node can import a key from its seed (seed-only PKCS#8) and sign or verify pure
// ML-DSA, but its sign() has no external-μ option, so EXTERNAL_MU always goes to noble.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { MlDsaEngine, MlDsaSigner } from './ml-dsa-engine.js';
import { mlDsaRawFromSpki, mlDsaSeedPkcs8, mlDsaSizes, mlDsaSpki, type MlDsaKeySpec } from './ml-dsa-der.js';

const keyTypes: Record<MlDsaKeySpec, string> = { ML_DSA_44: 'ml-dsa-44', ML_DSA_65: 'ml-dsa-65', ML_DSA_87: 'ml-dsa-87' };

function signer(spec: MlDsaKeySpec, seed: Uint8Array): MlDsaSigner {
  const pkcs8 = mlDsaSeedPkcs8(spec, seed);
  try {
    const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    if (privateKey.asymmetricKeyType as string !== keyTypes[spec]) throw new Error(`Node imported ${spec} as ${privateKey.asymmetricKeyType}`);
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const publicKey = mlDsaRawFromSpki(spec, spki);
    if (publicKey === undefined) throw new Error(`Node exported an unexpected ${spec} SubjectPublicKeyInfo`);
    // A null digest is how Node asks for pure ML-DSA; with no `context` option it is empty.
    return { publicKey, sign: (message) => sign(null, message, privateKey) };
  } finally {
    pkcs8.fill(0);
  }
}

function verifyRaw(spec: MlDsaKeySpec, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const sizes = mlDsaSizes[spec];
  if (publicKey.length !== sizes.publicKey || signature.length !== sizes.signature) return false;
  try {
    const key = createPublicKey({ key: mlDsaSpki(spec, publicKey), format: 'der', type: 'spki' });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

const engine = { name: 'node', signer, verify: verifyRaw } as const satisfies MlDsaEngine;

/** Whether this runtime's crypto imports an ML-DSA key from its seed: asked once per thread. */
let supported: boolean | undefined;
function probe(): boolean {
  try {
    const key = createPrivateKey({ key: mlDsaSeedPkcs8('ML_DSA_44', new Uint8Array(32)), format: 'der', type: 'pkcs8' });
    return key.asymmetricKeyType as string === keyTypes.ML_DSA_44;
  } catch {
    return false; // Node 20: "unsupported key type" for the OID
  }
}

/** Node's ML-DSA engine, or undefined when the runtime has none. */
export function nodeMlDsa(): MlDsaEngine | undefined {
  supported ??= probe();
  return supported ? engine : undefined;
}

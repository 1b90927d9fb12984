// What GenerateMac and VerifyMac share: an HMAC key (usage GENERATE_VERIFY_MAC), the MAC algorithm
// its spec offers (AWS: any other is InvalidKeyUsageException), and its current material.
import { fail } from '../../core/errors.js';
import type { MacAlgorithm } from '../../core/key-specs.js';
import type { MacMaterial } from '../../backends/key-backend.js';
import type { CachedKey } from '../key-cache.js';
import { requireAlgorithm, requireKeyUsage } from './key-usage-checks.js';

export interface MacKey {
  readonly algorithm: MacAlgorithm;
  readonly material: MacMaterial;
}

/** The key's HMAC material and the checked algorithm, or the error AWS gives for this key. */
export function requireMacKey(key: CachedKey, algorithm: string, operation: 'GenerateMac' | 'VerifyMac'): MacKey {
  requireKeyUsage(key.record, 'GENERATE_VERIFY_MAC', operation);
  const checked = requireAlgorithm(key.record, 'mac', algorithm);
  // HMAC keys have one material: AWS rotates neither automatically nor on demand.
  const material = key.current();
  if (material?.kind !== 'mac') fail('KMSInvalidStateException', `${key.record.arn} has no key material.`);
  return { algorithm: checked, material };
}

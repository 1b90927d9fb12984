// A key record as the API's KeyMetadata.
import { algorithmsOf } from '../core/key-specs.js';
import type { KeyRecord } from '../core/keys.js';
import { shapes } from './model/kms-model.js';
import type { KeyMetadata } from './model/kms-model.js';

type CustomerMasterKeySpec = NonNullable<KeyMetadata['CustomerMasterKeySpec']>;

/** The deprecated CustomerMasterKeySpec exists only for the specs its enum predates. */
const LEGACY_SPECS: ReadonlySet<string> = new Set(shapes.CustomerMasterKeySpec.enum);

export function keyMetadata(key: KeyRecord): KeyMetadata {
  const algorithms = algorithmsOf(key.keySpec, key.keyUsage);
  return {
    AWSAccountId: key.accountId,
    KeyId: key.id,
    Arn: key.arn,
    CreationDate: key.createdAt,
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    ...(key.deletionDate ? { DeletionDate: key.deletionDate } : {}),
    Origin: key.origin,
    ...importedExpiry(key),
    KeyManager: key.keyManager,
    ...(LEGACY_SPECS.has(key.keySpec) ? { CustomerMasterKeySpec: key.keySpec as CustomerMasterKeySpec } : {}),
    KeySpec: key.keySpec,
    ...(algorithms.encryption.length > 0 ? { EncryptionAlgorithms: [...algorithms.encryption] } : {}),
    ...(algorithms.signing.length > 0 ? { SigningAlgorithms: [...algorithms.signing] } : {}),
    ...(algorithms.mac.length > 0 ? { MacAlgorithms: [...algorithms.mac] } : {}),
    ...(algorithms.keyAgreement.length > 0 ? { KeyAgreementAlgorithms: [...algorithms.keyAgreement] } : {}),
    MultiRegion: false,
    ...(key.pendingWindowDays !== null && key.state === 'PendingDeletion' ? { PendingDeletionWindowInDays: key.pendingWindowDays } : {}),
    ...(key.currentMaterialId !== null ? { CurrentKeyMaterialId: key.currentMaterialId } : {}),
  };
}

/** ExpirationModel and ValidTo: for keys with imported material, once material has been imported. */
function importedExpiry(key: KeyRecord): Pick<KeyMetadata, 'ExpirationModel' | 'ValidTo'> {
  if (key.origin !== 'EXTERNAL' || key.currentMaterialId === null) return {};
  return key.validTo === null ? { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } : { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: key.validTo };
}

// A key record as the API's KeyMetadata.
import type { KeyRecord } from '../core/keys.js';
import type { KeyMetadata } from './model/kms-model.js';

export function keyMetadata(key: KeyRecord): KeyMetadata {
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
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    ...(key.pendingWindowDays !== null && key.state === 'PendingDeletion' ? { PendingDeletionWindowInDays: key.pendingWindowDays } : {}),
    ...(key.currentMaterialId !== null ? { CurrentKeyMaterialId: key.currentMaterialId } : {}),
  };
}

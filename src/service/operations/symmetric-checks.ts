// Checks shared by the operations that use a symmetric ENCRYPT_DECRYPT key.
import { fail } from '../../core/errors.js';
import type { KeyRecord } from '../../core/keys.js';

/** The key must be a symmetric encryption key, and SYMMETRIC_DEFAULT is its only algorithm (AWS API reference). */
export function requireSymmetricAlgorithm(key: KeyRecord, algorithm: string | undefined): void {
  if (key.keyUsage !== 'ENCRYPT_DECRYPT') fail('InvalidKeyUsageException', `${key.arn} key usage is ${key.keyUsage} which is not valid for this operation.`);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') fail('InvalidKeyUsageException', `${key.arn} key spec is ${key.keySpec} which is not valid for this operation.`);
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    fail('InvalidKeyUsageException', `The encryption algorithm ${algorithm} is not supported for ${key.arn}: its key spec ${key.keySpec} supports SYMMETRIC_DEFAULT.`);
  }
}

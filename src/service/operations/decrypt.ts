// Decrypt: the blob names its key, so KeyId is optional; when given it must be that key.
import { fail } from '../../core/errors.js';
import { decryptUnder, requireBlob, parseBlob } from '../envelope.js';
import { defineOperation } from '../operation.js';
import { endDryRun } from '../dry-run.js';
import { requireSymmetricAlgorithm } from './symmetric-checks.js';

export const Decrypt = defineOperation({
  name: 'Decrypt',
  key: {
    from: (i) => parseBlob(requireBlob(i.CiphertextBlob)).keyId,
    contextOf: (i) => i.EncryptionContext,
    action: 'kms:Decrypt',
    states: 'crypto',
    aliases: false,
    fromCiphertext: true,
    extraOf: (i) => ({ 'kms:encryptionalgorithm': i.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' }),
  },
  async run({ input, useKey }, key) {
    if (input.KeyId !== undefined) {
      const named = await useKey(input.KeyId, { action: 'kms:Decrypt', states: 'any', aliases: true, context: input.EncryptionContext });
      /* Precondition: a KeyId, when given, names the key that encrypted (AWS: IncorrectKeyException). */
      if (named.record.id !== key.record.id) fail('IncorrectKeyException', 'The key ID in the request does not identify a KMS key that can perform this operation.');
    }
    requireSymmetricAlgorithm(key.record, input.EncryptionAlgorithm);
    const parts = parseBlob(requireBlob(input.CiphertextBlob));
    const plaintext = decryptUnder(key, parts, input.EncryptionContext);
    endDryRun(input);
    return { KeyId: key.record.arn, Plaintext: plaintext, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyMaterialId: parts.materialId };
  },
});

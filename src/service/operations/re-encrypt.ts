// ReEncrypt: decrypts under the source key and encrypts under the destination key, without
// the plaintext ever leaving the service.
import { fail } from '../../core/errors.js';
import { decryptUnder, requireBlob, encryptUnder, parseBlob } from '../envelope.js';
import { defineOperation } from '../operation.js';
import { endDryRun } from '../dry-run.js';
import { requireSymmetricAlgorithm } from './symmetric-checks.js';

export const ReEncrypt = defineOperation({
  name: 'ReEncrypt',
  key: {
    from: (i) => parseBlob(requireBlob(i.CiphertextBlob)).keyId,
    contextOf: (i) => i.SourceEncryptionContext,
    action: 'kms:ReEncryptFrom',
    states: 'crypto',
    aliases: false,
    fromCiphertext: true,
    extraOf: (i) => ({ 'kms:encryptionalgorithm': i.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' }),
  },
  async run({ input, deps, useKey }, source) {
    if (input.SourceKeyId !== undefined) {
      const named = await useKey(input.SourceKeyId, { action: 'kms:ReEncryptFrom', states: 'any', aliases: true, context: input.SourceEncryptionContext });
      if (named.record.id !== source.record.id) fail('IncorrectKeyException', 'The source key ID in the request does not identify the KMS key that encrypted the ciphertext.');
    }
    const destination = await useKey(input.DestinationKeyId, {
      action: 'kms:ReEncryptTo', states: 'crypto', aliases: true, context: input.DestinationEncryptionContext,
      extra: { 'kms:encryptionalgorithm': input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' },
    });
    requireSymmetricAlgorithm(source.record, input.SourceEncryptionAlgorithm);
    requireSymmetricAlgorithm(destination.record, input.DestinationEncryptionAlgorithm);
    const parts = parseBlob(requireBlob(input.CiphertextBlob));
    const plaintext = decryptUnder(source, parts, input.SourceEncryptionContext);
    try {
      endDryRun(input);
      const { blob, materialId } = encryptUnder(destination, plaintext, input.DestinationEncryptionContext, deps.random);
      return {
        CiphertextBlob: blob,
        SourceKeyId: source.record.arn,
        KeyId: destination.record.arn,
        SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        SourceKeyMaterialId: parts.materialId,
        DestinationKeyMaterialId: materialId,
      };
    } finally {
      plaintext.fill(0);
    }
  },
});

// Encrypt: up to 4 KiB of data under a symmetric key, bound to the encryption context.
import { needs } from '../../core/errors.js';
import { encryptUnder } from '../envelope.js';
import { defineOperation } from '../operation.js';
import { endDryRun } from '../dry-run.js';
import { requireSymmetricAlgorithm } from './symmetric-checks.js';

export const Encrypt = defineOperation({
  name: 'Encrypt',
  key: {
    from: (i) => i.KeyId, contextOf: (i) => i.EncryptionContext, action: 'kms:Encrypt', states: 'crypto', aliases: true,
    extraOf: (i) => ({ 'kms:encryptionalgorithm': i.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' }),
  },
  async run({ input, deps }, key) {
    requireSymmetricAlgorithm(key.record, input.EncryptionAlgorithm);
    /* Precondition: Plaintext is 1..4096 bytes (model), so it fits one blob. */
    needs(input.Plaintext.length <= 4096, 'ValidationException', 'Plaintext must be at most 4096 bytes');
    endDryRun(input);
    const { blob } = encryptUnder(key, input.Plaintext, input.EncryptionContext, deps.random);
    return { CiphertextBlob: blob, KeyId: key.record.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
});

// Encrypt: up to 4 KiB under a symmetric key, bound to the encryption context; or one RSAES-OAEP
// or SM2PKE block under an asymmetric key (asymmetric-encryption.ts), chosen by the key's spec.
import { needs } from '../../core/errors.js';
import { encryptUnder } from '../envelope.js';
import { defineOperation } from '../operation.js';
import { endDryRun } from '../dry-run.js';
import { encryptAsymmetric, requireAsymmetricUse, requirePlaintextFits } from './asymmetric-encryption.js';
import { requireSymmetricAlgorithm } from './symmetric-checks.js';

export const Encrypt = defineOperation({
  name: 'Encrypt',
  key: {
    from: (i) => i.KeyId, contextOf: (i) => i.EncryptionContext, action: 'kms:Encrypt', states: 'crypto', aliases: true,
    extraOf: (i) => ({ 'kms:encryptionalgorithm': i.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' }),
  },
  async run({ input, deps }, key) {
    if (key.record.keySpec !== 'SYMMETRIC_DEFAULT') {
      const algorithm = requireAsymmetricUse(key.record, input.EncryptionAlgorithm, input.EncryptionContext, 'Encrypt');
      requirePlaintextFits(key.record, algorithm, input.Plaintext);
      endDryRun(input);
      return { CiphertextBlob: encryptAsymmetric(key, algorithm, input.Plaintext, deps.random), KeyId: key.record.arn, EncryptionAlgorithm: algorithm };
    }
    requireSymmetricAlgorithm(key.record, input.EncryptionAlgorithm);
    /* Precondition: Plaintext is 1..4096 bytes (model), so it fits one blob. */
    needs(input.Plaintext.length <= 4096, 'ValidationException', 'Plaintext must be at most 4096 bytes');
    endDryRun(input);
    const { blob } = encryptUnder(key, input.Plaintext, input.EncryptionContext, deps.random);
    return { CiphertextBlob: blob, KeyId: key.record.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
});

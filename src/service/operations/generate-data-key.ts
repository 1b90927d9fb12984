// GenerateDataKey: a fresh data key, returned in plaintext and encrypted under the KMS key.
import { defineOperation } from '../operation.js';
import { generateDataKey } from './data-key.js';

export const GenerateDataKey = defineOperation({
  name: 'GenerateDataKey',
  key: { from: (i) => i.KeyId, contextOf: (i) => i.EncryptionContext, action: 'kms:GenerateDataKey', states: 'crypto', aliases: true },
  async run({ input, deps }, key) {
    const { blob, plaintext, materialId } = generateDataKey(key, input, deps.random);
    return { CiphertextBlob: blob, Plaintext: plaintext, KeyId: key.record.arn, KeyMaterialId: materialId };
  },
});

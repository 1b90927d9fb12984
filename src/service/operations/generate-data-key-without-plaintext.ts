// GenerateDataKeyWithoutPlaintext: only the encrypted copy of a fresh data key leaves.
import { defineOperation } from '../operation.js';
import { generateDataKey } from './data-key.js';

export const GenerateDataKeyWithoutPlaintext = defineOperation({
  name: 'GenerateDataKeyWithoutPlaintext',
  key: { from: (i) => i.KeyId, contextOf: (i) => i.EncryptionContext, action: 'kms:GenerateDataKeyWithoutPlaintext', states: 'crypto', aliases: true },
  async run({ input, deps }, key) {
    const { blob, plaintext, materialId } = generateDataKey(key, input, deps.random);
    plaintext.fill(0);
    return { CiphertextBlob: blob, KeyId: key.record.arn, KeyMaterialId: materialId };
  },
});

// GenerateDataKeyWithoutPlaintext: only the encrypted copy of a fresh data key leaves.
import { defineOperation } from '../operation.js';
import { endDryRun } from '../service.js';
import { generateDataKey } from './data-key.js';
import { requireSymmetricAlgorithm } from './symmetric-checks.js';

export const GenerateDataKeyWithoutPlaintext = defineOperation({
  name: 'GenerateDataKeyWithoutPlaintext',
  key: { from: (i) => i.KeyId, action: 'kms:GenerateDataKeyWithoutPlaintext', states: 'crypto', aliases: true },
  async run({ input, deps }, key) {
    requireSymmetricAlgorithm(key.record, undefined);
    endDryRun(input);
    const { blob, plaintext, materialId } = generateDataKey(key, input, deps.random);
    plaintext.fill(0);
    return { CiphertextBlob: blob, KeyId: key.record.arn, KeyMaterialId: materialId };
  },
});

// GenerateDataKey: a fresh data key, returned in plaintext and encrypted under the KMS key.
import { defineOperation } from '../operation.js';
import { endDryRun } from '../service.js';
import { generateDataKey } from './data-key.js';
import { requireSymmetricAlgorithm } from './symmetric-checks.js';

export const GenerateDataKey = defineOperation({
  name: 'GenerateDataKey',
  key: { from: (i) => i.KeyId, action: 'kms:GenerateDataKey', states: 'crypto', aliases: true },
  async run({ input, deps }, key) {
    requireSymmetricAlgorithm(key.record, undefined);
    endDryRun(input);
    const { blob, plaintext, materialId } = generateDataKey(key, input, deps.random);
    return { CiphertextBlob: blob, Plaintext: plaintext, KeyId: key.record.arn, KeyMaterialId: materialId };
  },
});

// Decrypt: a keyhold blob names its key, so KeyId is optional (and, when given, must be that key);
// a raw RSA or SM2 ciphertext is opened with the KeyId and EncryptionAlgorithm the caller names
// (asymmetric-source.ts decides which key the pipeline resolves, and opens the ciphertext).
import { defineOperation } from '../operation.js';
import { endDryRun } from '../dry-run.js';
import { SOURCE_KEY_USE, checkNamedKey, openSource, sourceKeyId, sourceKeyUse, type OpenRequest } from './asymmetric-source.js';

export const Decrypt = defineOperation({
  name: 'Decrypt',
  key: {
    ...SOURCE_KEY_USE,
    from: (i) => sourceKeyId({ blob: i.CiphertextBlob, keyId: i.KeyId, algorithm: i.EncryptionAlgorithm }),
    useOf: (i) => sourceKeyUse({ keyId: i.KeyId, algorithm: i.EncryptionAlgorithm }),
    contextOf: (i) => i.EncryptionContext,
    action: 'kms:Decrypt',
    extraOf: (i) => ({ 'kms:encryptionalgorithm': i.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT' }),
  },
  async run({ input, useKey, request }, key) {
    const source: OpenRequest = {
      blob: input.CiphertextBlob, keyId: input.KeyId, algorithm: input.EncryptionAlgorithm, context: input.EncryptionContext,
      operation: 'Decrypt', action: 'kms:Decrypt', principal: request.principal,
    };
    if (source.keyId !== undefined) await checkNamedKey(key, source, useKey);
    const { plaintext, algorithm, materialId } = openSource(key, source);
    endDryRun(input);
    const KeyId = key.record.arn;
    // AWS reports KeyMaterialId only for symmetric keys.
    return materialId === undefined
      ? { KeyId, Plaintext: plaintext, EncryptionAlgorithm: algorithm }
      : { KeyId, Plaintext: plaintext, EncryptionAlgorithm: algorithm, KeyMaterialId: materialId };
  },
});

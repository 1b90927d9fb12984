// GenerateDataKeyPairWithoutPlaintext: a fresh key pair of which only the public key and the
// encrypted private key leave; the plaintext private key is zeroed here.
import { defineOperation } from '../operation.js';
import { dataKeyPairConditions, generateDataKeyPair } from './asymmetric-data-key-pair.js';

export const GenerateDataKeyPairWithoutPlaintext = defineOperation({
  name: 'GenerateDataKeyPairWithoutPlaintext',
  key: {
    from: (i) => i.KeyId, contextOf: (i) => i.EncryptionContext, action: 'kms:GenerateDataKeyPairWithoutPlaintext', states: 'crypto', aliases: true,
    extraOf: dataKeyPairConditions,
  },
  async run({ input, deps }, key) {
    const pair = await generateDataKeyPair(key, input, deps.random);
    pair.privateKey.fill(0);
    return {
      PrivateKeyCiphertextBlob: pair.blob,
      PublicKey: pair.publicKey,
      KeyId: key.record.arn,
      KeyPairSpec: input.KeyPairSpec,
      KeyMaterialId: pair.materialId,
    };
  },
});

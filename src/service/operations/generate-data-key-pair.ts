// GenerateDataKeyPair: a fresh key pair, its private key returned in plaintext (PKCS#8) and
// encrypted under a symmetric KMS key, and its public key (SPKI).
import { defineOperation } from '../operation.js';
import { dataKeyPairConditions, generateDataKeyPair } from './asymmetric-data-key-pair.js';

export const GenerateDataKeyPair = defineOperation({
  name: 'GenerateDataKeyPair',
  key: {
    from: (i) => i.KeyId, contextOf: (i) => i.EncryptionContext, action: 'kms:GenerateDataKeyPair', states: 'crypto', aliases: true,
    extraOf: dataKeyPairConditions,
  },
  async run({ input, deps }, key) {
    const pair = await generateDataKeyPair(key, input, deps.random);
    return {
      PrivateKeyCiphertextBlob: pair.blob,
      PrivateKeyPlaintext: pair.privateKey,
      PublicKey: pair.publicKey,
      KeyId: key.record.arn,
      KeyPairSpec: input.KeyPairSpec,
      KeyMaterialId: pair.materialId,
    };
  },
});

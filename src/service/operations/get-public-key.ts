// GetPublicKey: the DER SubjectPublicKeyInfo of an asymmetric key, of any usage, with what it may
// be used for (key spec, usage, algorithm lists as DescribeKey gives them), so offline users can
// use it correctly (AWS KMS API reference, GetPublicKey). Symmetric and HMAC keys have none.
import { fail } from '../../core/errors.js';
import { keySpecInfo } from '../../core/key-specs.js';
import { keyMetadata } from '../metadata.js';
import { defineOperation } from '../operation.js';
import { publicKeyDerOf } from './signing-keys.js';

export const GetPublicKey = defineOperation({
  name: 'GetPublicKey',
  key: { from: (i) => i.KeyId, action: 'kms:GetPublicKey', states: 'crypto', aliases: true },
  async run({ deps }, key) {
    const { family } = keySpecInfo[key.record.keySpec];
    if (family === 'symmetric' || family === 'hmac') {
      fail('UnsupportedOperationException', `${key.record.arn} key spec is ${key.record.keySpec}, which has no public key: GetPublicKey needs an asymmetric KMS key.`);
    }
    // The same lists DescribeKey gives: only the key usage's own algorithms, and the legacy
    // CustomerMasterKeySpec only for the specs its enum has.
    const { CustomerMasterKeySpec, EncryptionAlgorithms, SigningAlgorithms, KeyAgreementAlgorithms } = keyMetadata(key.record);
    return {
      KeyId: key.record.arn,
      PublicKey: await publicKeyDerOf(deps, key),
      ...(CustomerMasterKeySpec && { CustomerMasterKeySpec }),
      KeySpec: key.record.keySpec,
      KeyUsage: key.record.keyUsage,
      ...(EncryptionAlgorithms && { EncryptionAlgorithms }),
      ...(SigningAlgorithms && { SigningAlgorithms }),
      ...(KeyAgreementAlgorithms && { KeyAgreementAlgorithms }),
    };
  },
});

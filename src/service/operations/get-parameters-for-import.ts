// GetParametersForImport: a fresh RSA wrapping key and an import token bound to this key, valid for
// 24 hours. The wrapping algorithm must suit the key's material (AWS API reference): RSA private
// keys are too long for RSAES_OAEP and need an RSA_AES_KEY_WRAP algorithm, and an RSA_2048 wrapping
// key cannot carry an ECC_NIST_P521 private key with RSAES_OAEP.
import { fail } from '../../core/errors.js';
import { keySpecInfo } from '../../core/key-specs.js';
import { generateWrappingKey, type WrappingAlgorithm, type WrappingKeySpec } from '../../crypto/import-wrapping.js';
import { IMPORT_TOKEN_LIFETIME_MS } from '../import-token.js';
import { IMPORT_STATES, needExternalOrigin } from '../imported-keys.js';
import { defineOperation } from '../operation.js';

export const GetParametersForImport = defineOperation({
  name: 'GetParametersForImport',
  key: {
    from: (i) => i.KeyId, action: 'kms:GetParametersForImport', states: IMPORT_STATES, aliases: false,
    extraOf: (i) => ({ 'kms:wrappingalgorithm': i.WrappingAlgorithm, 'kms:wrappingkeyspec': i.WrappingKeySpec }),
  },
  async run({ input, deps, importTokens }, key) {
    const k = key.record;
    needExternalOrigin(k);
    const algorithm = supportedAlgorithm(input.WrappingAlgorithm);
    const wrappingKeySpec = supportedWrappingKeySpec(input.WrappingKeySpec);
    const family = keySpecInfo[k.keySpec].family;
    if (algorithm.startsWith('RSAES_OAEP')) {
      /* Precondition: RSAES_OAEP carries the material whole, which an RSA private key never fits. */
      if (family === 'rsa') fail('ValidationException', `To import key material for ${k.keySpec} keys, use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.`);
      if (k.keySpec === 'ECC_NIST_P521' && wrappingKeySpec === 'RSA_2048') {
        fail('ValidationException', 'An RSA_2048 wrapping key cannot wrap ECC_NIST_P521 key material with RSAES_OAEP: use an RSA_AES_KEY_WRAP algorithm or a longer wrapping key.');
      }
    }
    const { privateKey, publicKey } = await generateWrappingKey(wrappingKeySpec);
    const expiresAt = new Date(deps.clock.now().getTime() + IMPORT_TOKEN_LIFETIME_MS);
    return {
      KeyId: k.arn,
      ImportToken: await importTokens.issue(k.arn, { algorithm, wrappingKeySpec, privateKey, expiresAt }),
      PublicKey: publicKey.export({ type: 'spki', format: 'der' }),
      ParametersValidTo: expiresAt,
    };
  },
});

function supportedAlgorithm(algorithm: string): WrappingAlgorithm {
  if (algorithm === 'RSAES_PKCS1_V1_5') fail('ValidationException', 'The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported: use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.');
  if (algorithm === 'SM2PKE') fail('UnsupportedOperationException', 'The SM2PKE wrapping algorithm is available only in China Regions, which keyhold does not emulate.');
  return algorithm as WrappingAlgorithm; // the model's enum leaves only the four RSA algorithms
}

function supportedWrappingKeySpec(spec: string): WrappingKeySpec {
  if (spec === 'SM2') fail('UnsupportedOperationException', 'SM2 wrapping keys are available only in China Regions, which keyhold does not emulate.');
  return spec as WrappingKeySpec; // the model's enum leaves only RSA_2048, RSA_3072 and RSA_4096
}

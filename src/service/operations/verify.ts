// Verify: checks a signature with the public key of an asymmetric SIGN_VERIFY key. AWS answers
// a signature that does not verify with KMSInvalidSignatureException, not SignatureValid: false
// (AWS KMS API reference, Verify); malformed signature bytes are just a signature that does not verify.
import { fail } from '../../core/errors.js';
import { runCrypto } from '../../crypto/crypto-offload.js';
import { endDryRun } from '../dry-run.js';
import { defineOperation } from '../operation.js';
import { checkSigningRequest } from './signing-checks.js';
import { verifyingKeyOf } from './signing-keys.js';

export const Verify = defineOperation({
  name: 'Verify',
  key: {
    from: (i) => i.KeyId, action: 'kms:Verify', states: 'crypto', aliases: true,
    extraOf: (i) => ({ 'kms:signingalgorithm': i.SigningAlgorithm, 'kms:messagetype': i.MessageType ?? 'RAW' }),
  },
  async run({ input, deps }, key) {
    const request = checkSigningRequest(key.record, 'Verify', input);
    endDryRun(input);
    const valid = await runCrypto(deps.crypto, { op: 'verify', key: await verifyingKeyOf(deps, key), input: request, signature: input.Signature });
    if (!valid) fail('KMSInvalidSignatureException', 'The signature is not valid for this message, key and signing algorithm.');
    return { KeyId: key.record.arn, SignatureValid: true, SigningAlgorithm: request.algorithm };
  },
});

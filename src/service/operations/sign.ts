// Sign: a signature of a message, a digest or an ML-DSA μ with the private key of an asymmetric
// SIGN_VERIFY key (AWS KMS API reference, Sign). Slow keys sign on the crypto pool's threads.
import { runCrypto } from '../../crypto/crypto-offload.js';
import { endDryRun } from '../dry-run.js';
import { defineOperation } from '../operation.js';
import { checkSigningRequest } from './signing-checks.js';
import { signingKeyOf } from './signing-keys.js';

export const Sign = defineOperation({
  name: 'Sign',
  key: {
    from: (i) => i.KeyId, action: 'kms:Sign', states: 'crypto', aliases: true,
    extraOf: (i) => ({ 'kms:signingalgorithm': i.SigningAlgorithm, 'kms:messagetype': i.MessageType ?? 'RAW' }),
  },
  async run({ input, deps }, key) {
    const request = checkSigningRequest(key.record, 'Sign', input);
    endDryRun(input);
    const signature = await runCrypto(deps.crypto, { op: 'sign', key: signingKeyOf(key), input: request });
    return { KeyId: key.record.arn, Signature: Buffer.from(signature), SigningAlgorithm: request.algorithm };
  },
});

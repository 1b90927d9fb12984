// VerifyMac: recomputes the HMAC of Message and compares it, in constant time, with Mac.
import { fail, needs } from '../../core/errors.js';
import { hmacVerify } from '../../crypto/hmac.js';
import { defineOperation } from '../operation.js';
import { endDryRun } from '../dry-run.js';
import { requireMacKey } from './mac-checks.js';

export const VerifyMac = defineOperation({
  name: 'VerifyMac',
  key: {
    from: (i) => i.KeyId, action: 'kms:VerifyMac', states: 'crypto', aliases: true,
    extraOf: (i) => ({ 'kms:macalgorithm': i.MacAlgorithm }),
  },
  async run({ input }, key) {
    const { algorithm, material } = requireMacKey(key, input.MacAlgorithm, 'VerifyMac');
    /* Precondition: Message is 1..4096 bytes (model). */
    needs(input.Message.length <= 4096, 'ValidationException', 'Message must be at most 4096 bytes');
    endDryRun(input);
    // AWS: "If the HMAC is not verified, the VerifyMac operation fails with a
    // KMSInvalidMacException". A Mac of another length (truncated, say) is simply not verified.
    if (!hmacVerify(material.key, algorithm, input.Message, input.Mac)) fail('KMSInvalidMacException', 'The MAC is not valid for this message, key and MAC algorithm.');
    return { KeyId: key.record.arn, MacValid: true, MacAlgorithm: algorithm };
  },
});

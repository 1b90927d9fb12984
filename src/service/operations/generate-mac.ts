// GenerateMac: the HMAC (RFC 2104, full length) of up to 4 KiB under an HMAC key.
import { needs } from '../../core/errors.js';
import { hmacTag } from '../../crypto/hmac.js';
import { defineOperation } from '../operation.js';
import { endDryRun } from '../dry-run.js';
import { requireMacKey } from './mac-checks.js';

export const GenerateMac = defineOperation({
  name: 'GenerateMac',
  key: {
    from: (i) => i.KeyId, action: 'kms:GenerateMac', states: 'crypto', aliases: true,
    extraOf: (i) => ({ 'kms:macalgorithm': i.MacAlgorithm }),
  },
  async run({ input }, key) {
    const { algorithm, material } = requireMacKey(key, input.MacAlgorithm, 'GenerateMac');
    /* Precondition: Message is 1..4096 bytes (model; AWS: "Specify a message of up to 4,096 bytes"). */
    needs(input.Message.length <= 4096, 'ValidationException', 'Message must be at most 4096 bytes');
    endDryRun(input);
    return { Mac: hmacTag(material.key, algorithm, input.Message), MacAlgorithm: algorithm, KeyId: key.record.arn };
  },
});

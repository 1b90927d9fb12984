// GetKeyLastUsage: the last cryptographic operation on a key, when, and by which request
// (AWS KMS API reference). Uses are tracked since TrackingStartDate: the key's creation, or the
// first start of a keyhold that tracks, whichever is later.
import type { KeyLastUsageData } from '../model/kms-model.js';
import { defineOperation } from '../operation.js';

export const GetKeyLastUsage = defineOperation({
  name: 'GetKeyLastUsage',
  key: { from: (i) => i.KeyId, action: 'kms:GetKeyLastUsage', states: 'any', aliases: true },
  async run({ deps }, key) {
    const tracker = deps.lastUsage;
    const use = await tracker?.lastUse(key.record.id);
    const started = (await tracker?.trackingStart()) ?? key.record.createdAt;
    return {
      KeyId: key.record.arn,
      KeyCreationDate: key.record.createdAt,
      TrackingStartDate: started > key.record.createdAt ? started : key.record.createdAt,
      ...(use === undefined
        ? {}
        : { KeyLastUsage: { Operation: use.operation as NonNullable<KeyLastUsageData['Operation']>, Timestamp: use.usedAt, KmsRequestId: use.requestId } }),
    };
  },
});

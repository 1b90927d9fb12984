// GetKeyRotationStatus: whether automatic rotation is on, its period and next date.
// Keys that cannot rotate answer false, and a key pending deletion answers false while keeping
// its setting for CancelKeyDeletion to restore (AWS API reference).
import { defineOperation } from '../operation.js';
import { ROTATION_READ, isRotatable } from '../rotation.js';

export const GetKeyRotationStatus = defineOperation({
  name: 'GetKeyRotationStatus',
  key: { from: (i) => i.KeyId, action: 'kms:GetKeyRotationStatus', states: ROTATION_READ, aliases: false },
  async run(_call, key) {
    const k = key.record;
    const enabled = isRotatable(k) && k.state !== 'PendingDeletion' && k.rotationPeriodDays !== null;
    if (!enabled || k.rotationPeriodDays === null || k.nextRotationDate === null) return { KeyId: k.arn, KeyRotationEnabled: false };
    // On-demand rotation completes within the request, so OnDemandRotationStartDate is never set.
    return { KeyId: k.arn, KeyRotationEnabled: true, RotationPeriodInDays: k.rotationPeriodDays, NextRotationDate: k.nextRotationDate };
  },
});

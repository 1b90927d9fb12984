// CancelKeyDeletion: a key pending deletion returns to Disabled (AWS: not Enabled).
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';

export const CancelKeyDeletion = defineOperation({
  name: 'CancelKeyDeletion',
  key: { from: (i) => i.KeyId, action: 'kms:CancelKeyDeletion', states: ['PendingDeletion'], aliases: false },
  async run({ deps }, key) {
    await mutateKey(deps, key.record.id, ['PendingDeletion'], (tx, k) =>
      tx.updateKey(k.id, { state: 'Disabled', deletionDate: null, pendingWindowDays: null }),
    );
    return { KeyId: key.record.arn };
  },
});

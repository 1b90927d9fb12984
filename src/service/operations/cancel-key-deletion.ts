// CancelKeyDeletion: a key pending deletion returns to Disabled (AWS: not Enabled), or to
// PendingImport when imported material was deleted or expired meanwhile (AWS key-state table).
import { allMaterialPresent } from '../imported-keys.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';

export const CancelKeyDeletion = defineOperation({
  name: 'CancelKeyDeletion',
  key: { from: (i) => i.KeyId, action: 'kms:CancelKeyDeletion', states: ['PendingDeletion'], aliases: false },
  async run({ deps }, key) {
    await mutateKey(deps, key.record.id, ['PendingDeletion'], async (tx, k) => {
      const state = allMaterialPresent(k, await tx.listMaterials(k.id)) ? 'Disabled' : 'PendingImport';
      await tx.updateKey(k.id, { state, deletionDate: null, pendingWindowDays: null });
    });
    return { KeyId: key.record.arn };
  },
});

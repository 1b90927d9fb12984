// DisableKeyRotation: stops automatic rotation; existing materials and on-demand rotation are unaffected.
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';
import { needRotatable } from '../rotation.js';

export const DisableKeyRotation = defineOperation({
  name: 'DisableKeyRotation',
  // Disabled is DisabledException, the other states KMSInvalidStateException (AWS key-state table).
  key: { from: (i) => i.KeyId, action: 'kms:DisableKeyRotation', states: 'crypto', aliases: false },
  async run({ deps }, key) {
    needRotatable(key.record);
    await mutateKey(deps, key.record.id, 'crypto', (tx, k) =>
      tx.updateKey(k.id, { rotationPeriodDays: null, nextRotationDate: null }),
    );
    return {};
  },
});

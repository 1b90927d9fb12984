// RotateKeyOnDemand: new material becomes current at once, whatever the automatic schedule, which
// it leaves unchanged; at most MAX_ON_DEMAND_ROTATIONS per key (AWS API reference). A key with
// imported material rotates to the material imported for the purpose.
import { fail } from '../../core/errors.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';
import { MAX_ON_DEMAND_ROTATIONS, needOnDemandRotatable, rotateIn, rotateToImportedIn } from '../rotation.js';

export const RotateKeyOnDemand = defineOperation({
  name: 'RotateKeyOnDemand',
  // Disabled is DisabledException, the other states KMSInvalidStateException (AWS key-state table).
  key: { from: (i) => i.KeyId, action: 'kms:RotateKeyOnDemand', states: 'crypto', aliases: false },
  async run({ deps }, key) {
    needOnDemandRotatable(key.record);
    await mutateKey(deps, key.record.id, 'crypto', async (tx, k) => {
      /* Precondition: the key has on-demand rotations left (counted in the same transaction). */
      if (k.onDemandRotations >= MAX_ON_DEMAND_ROTATIONS) {
        fail('LimitExceededException', `${k.arn} has reached the limit of ${MAX_ON_DEMAND_ROTATIONS} on-demand rotations.`);
      }
      const patch = { onDemandRotations: k.onDemandRotations + 1 };
      if (k.origin === 'EXTERNAL') await rotateToImportedIn(deps, tx, k, patch);
      else await rotateIn(deps, tx, k, 'ON_DEMAND', patch);
    });
    return { KeyId: key.record.arn };
  },
});

// EnableKeyRotation: turns on automatic rotation every RotationPeriodInDays (90–2560, default 365);
// the first automatic rotation is one period after this call (AWS API reference).
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';
import { ROTATION_PERIOD_DEFAULT_DAYS, addDays, needRotatable } from '../rotation.js';

export const EnableKeyRotation = defineOperation({
  name: 'EnableKeyRotation',
  // Disabled is DisabledException, the other states KMSInvalidStateException (AWS key-state table).
  key: { from: (i) => i.KeyId, action: 'kms:EnableKeyRotation', states: 'crypto', aliases: false },
  async run({ input, deps }, key) {
    needRotatable(key.record);
    // The model bounds RotationPeriodInDays to 90–2560, checked when the input is decoded.
    const days = input.RotationPeriodInDays ?? ROTATION_PERIOD_DEFAULT_DAYS;
    await mutateKey(deps, key.record.id, 'crypto', (tx, k) =>
      tx.updateKey(k.id, { rotationPeriodDays: days, nextRotationDate: addDays(deps.clock.now(), days) }),
    );
    return {};
  },
});

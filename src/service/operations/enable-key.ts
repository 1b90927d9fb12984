// EnableKey: Disabled (or Enabled) → Enabled; refused while pending deletion or import.
import { ENABLE_DISABLE } from '../key-states.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';

export const EnableKey = defineOperation({
  name: 'EnableKey',
  key: { from: (i) => i.KeyId, action: 'kms:EnableKey', states: ENABLE_DISABLE, aliases: false },
  async run({ deps }, key) {
    await mutateKey(deps, key.record.id, ENABLE_DISABLE, (tx, k) => tx.updateKey(k.id, { state: 'Enabled' }));
    return {};
  },
});

// DisableKey: the key stays but refuses cryptographic use until enabled again.
import { ENABLE_DISABLE } from '../key-states.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';

export const DisableKey = defineOperation({
  name: 'DisableKey',
  key: { from: (i) => i.KeyId, action: 'kms:DisableKey', states: ENABLE_DISABLE, aliases: false },
  async run({ deps }, key) {
    await mutateKey(deps, key.record.id, ENABLE_DISABLE, (tx, k) => tx.updateKey(k.id, { state: 'Disabled' }));
    return {};
  },
});

// UpdateKeyDescription: replaces the description (refused while pending deletion).
import { MANAGE } from '../key-states.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';

export const UpdateKeyDescription = defineOperation({
  name: 'UpdateKeyDescription',
  key: { from: (i) => i.KeyId, action: 'kms:UpdateKeyDescription', states: MANAGE, aliases: false },
  async run({ input, deps }, key) {
    await mutateKey(deps, key.record.id, MANAGE, (tx, k) => tx.updateKey(k.id, { description: input.Description }));
    return {};
  },
});

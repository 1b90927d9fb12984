// UntagResource: removes tags by key; absent tag keys are ignored, as AWS does.
import { MANAGE } from '../key-states.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';

export const UntagResource = defineOperation({
  name: 'UntagResource',
  key: { from: (i) => i.KeyId, action: 'kms:UntagResource', states: MANAGE, aliases: false, extraOf: (i) => ({ 'aws:tagkeys': i.TagKeys }) },
  async run({ input, deps }, key) {
    await mutateKey(deps, key.record.id, MANAGE, (tx, k) => tx.removeTags(k.id, input.TagKeys));
    return {};
  },
});

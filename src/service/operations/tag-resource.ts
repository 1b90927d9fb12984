// TagResource: adds or overwrites tags on a key (at most 50 per key).
import { fail } from '../../core/errors.js';
import { MANAGE } from '../key-states.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';
import { MAX_TAGS_PER_KEY, checkTags, requestTagConditions } from './tag-checks.js';

export const TagResource = defineOperation({
  name: 'TagResource',
  key: { from: (i) => i.KeyId, action: 'kms:TagResource', states: MANAGE, aliases: false, extraOf: (i) => requestTagConditions(i.Tags) },
  async run({ input, deps }, key) {
    checkTags(input.Tags);
    await mutateKey(deps, key.record.id, MANAGE, async (tx, k) => {
      await tx.putTags(k.id, input.Tags);
      if ((await tx.countTags(k.id)) > MAX_TAGS_PER_KEY) fail('TagException', `A key can have at most ${MAX_TAGS_PER_KEY} tags.`);
    });
    return {};
  },
});

// ScheduleKeyDeletion: the key turns PendingDeletion for 7–30 days (default 30), after which the
// deletion scheduler destroys it and its material for good.
import { DAY_MS } from '../../core/clock.js';
import { fail } from '../../core/errors.js';
import { MANAGE } from '../key-states.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';

export const ScheduleKeyDeletion = defineOperation({
  name: 'ScheduleKeyDeletion',
  key: { from: (i) => i.KeyId, action: 'kms:ScheduleKeyDeletion', states: MANAGE, aliases: false },
  async run({ input, deps }, key) {
    const days = input.PendingWindowInDays ?? 30;
    /* Precondition: the waiting period is 7 to 30 days (AWS API reference). */
    if (days < 7 || days > 30) {
      fail('ValidationException', `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30`);
    }
    const deletionDate = new Date(deps.clock.now().getTime() + days * DAY_MS);
    await mutateKey(deps, key.record.id, MANAGE, (tx, k) =>
      tx.updateKey(k.id, { state: 'PendingDeletion', deletionDate, pendingWindowDays: days }),
    );
    return { KeyId: key.record.arn, DeletionDate: deletionDate, KeyState: 'PendingDeletion', PendingWindowInDays: days };
  },
});

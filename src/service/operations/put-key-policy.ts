// PutKeyPolicy: replaces the key policy; it takes effect on every node's next request.
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';
import { checkNewKeyPolicy, checkPolicyName } from './key-policy-checks.js';

export const PutKeyPolicy = defineOperation({
  name: 'PutKeyPolicy',
  key: { from: (i) => i.KeyId, action: 'kms:PutKeyPolicy', states: 'any', aliases: false },
  async run({ input, deps, request }, key) {
    checkPolicyName(key.record, input.PolicyName);
    checkNewKeyPolicy(input.Policy, key.record, request.principal, deps.clock.now(), input.BypassPolicyLockoutSafetyCheck);
    await mutateKey(deps, key.record.id, 'any', (tx, k) => tx.updateKey(k.id, { policy: input.Policy }));
    return {};
  },
});

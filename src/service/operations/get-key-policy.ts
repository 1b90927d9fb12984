// GetKeyPolicy: the key policy as it was set.
import { defineOperation } from '../operation.js';
import { DEFAULT_POLICY_NAME, checkPolicyName } from './key-policy-checks.js';

export const GetKeyPolicy = defineOperation({
  name: 'GetKeyPolicy',
  key: { from: (i) => i.KeyId, action: 'kms:GetKeyPolicy', states: 'any', aliases: false },
  async run({ input }, key) {
    checkPolicyName(key.record, input.PolicyName);
    return { Policy: key.record.policy, PolicyName: DEFAULT_POLICY_NAME };
  },
});

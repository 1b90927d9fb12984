// ListKeyPolicies: a key has exactly one policy, named "default" (AWS API reference).
import { fail } from '../../core/errors.js';
import { defineOperation } from '../operation.js';
import { DEFAULT_POLICY_NAME } from './key-policy-checks.js';

export const ListKeyPolicies = defineOperation({
  name: 'ListKeyPolicies',
  key: { from: (i) => i.KeyId, action: 'kms:ListKeyPolicies', states: 'any', aliases: false },
  async run({ input }, _key) {
    // One name fits in any page, so keyhold never issues a marker to come back with.
    if (input.Marker !== undefined) fail('InvalidMarkerException', 'The marker is not valid: pass the NextMarker of a previous response.');
    return { PolicyNames: [DEFAULT_POLICY_NAME], Truncated: false };
  },
});

// RevokeGrant: deletes a grant of a key, authorised like any key operation (kms:RevokeGrant in the
// key policy or IAM policies); the grantee's next request no longer has its permissions.
import { fail } from '../../core/errors.js';
import { endDryRun } from '../dry-run.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';
import { checkGrantId } from './grant-checks.js';

export const RevokeGrant = defineOperation({
  name: 'RevokeGrant',
  key: {
    from: (i) => i.KeyId,
    action: 'kms:RevokeGrant',
    states: 'any',
    aliases: false,
    // kms:GrantIsForAWSResource: no AWS service calls keyhold on anyone's behalf.
    extraOf: () => ({ 'kms:grantisforawsresource': 'false' }),
  },
  async run({ input, deps }, key) {
    checkGrantId(input.GrantId);
    await mutateKey(deps, key.record.id, 'any', async (tx, k) => {
      const grant = await tx.getGrant(input.GrantId);
      if (grant?.keyId !== k.id) fail('NotFoundException', `Grant ${input.GrantId} does not exist on ${k.arn}.`);
      endDryRun(input);
      await tx.deleteGrant(grant.grantId);
    });
    return {};
  },
});

// CreateAlias: a friendly name for a key in the caller's account and region.
import { fail } from '../../core/errors.js';
import { aliasArn } from '../../core/keys.js';
import { MANAGE } from '../key-states.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';
import { checkAliasName } from './alias-checks.js';

export const CreateAlias = defineOperation({
  name: 'CreateAlias',
  key: { from: (i) => i.TargetKeyId, action: 'kms:CreateAlias', states: MANAGE, aliases: false },
  async run({ input, deps, request, authorizeIdentity }, key) {
    checkAliasName(input.AliasName);
    const accountId = request.principal.accountId;
    // "kms:CreateAlias on the alias (IAM policy)" and on the key (key policy), as AWS requires.
    authorizeIdentity('kms:CreateAlias', aliasArn(deps.region, accountId, input.AliasName));
    if (key.record.accountId !== accountId) fail('AccessDeniedException', 'An alias must be in the same account as its key.');
    await mutateKey(deps, key.record.id, MANAGE, async (tx, k) => {
      if (await tx.getAlias(accountId, deps.region, input.AliasName)) {
        fail('AlreadyExistsException', `An alias with the name ${aliasArn(deps.region, accountId, input.AliasName)} already exists`);
      }
      const now = deps.clock.now();
      await tx.insertAlias({ accountId, region: deps.region, name: input.AliasName, targetKeyId: k.id, createdAt: now, updatedAt: now });
    });
    return {};
  },
});

// UpdateAlias: points an existing alias at another key of the same type and usage.
import { fail } from '../../core/errors.js';
import { aliasArn } from '../../core/keys.js';
import { MANAGE } from '../key-states.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';
import { checkAliasName, checkSameKind } from './alias-checks.js';

export const UpdateAlias = defineOperation({
  name: 'UpdateAlias',
  key: { from: (i) => i.TargetKeyId, action: 'kms:UpdateAlias', states: MANAGE, aliases: false },
  async run({ input, deps, request, authorizeIdentity, useKey }, key) {
    checkAliasName(input.AliasName);
    const accountId = request.principal.accountId;
    // "kms:UpdateAlias on the alias (IAM policy)" and on the key (key policy), as AWS requires.
    authorizeIdentity('kms:UpdateAlias', aliasArn(deps.region, accountId, input.AliasName));
    // …and on the key the alias points at now (key policy).
    const current = await deps.keys.alias(accountId, deps.region, input.AliasName);
    if (current !== undefined && current !== key.record.id) await useKey(current, { action: 'kms:UpdateAlias', states: 'any', aliases: false });
    await mutateKey(deps, key.record.id, MANAGE, async (tx, target) => {
      const alias = await tx.getAlias(accountId, deps.region, input.AliasName);
      if (!alias) fail('NotFoundException', `Alias '${aliasArn(deps.region, accountId, input.AliasName)}' is not found.`);
      const current = await tx.getKey(alias.targetKeyId);
      if (current) checkSameKind(current, target);
      await tx.retargetAlias(accountId, deps.region, input.AliasName, target.id, deps.clock.now());
    });
    return {};
  },
});

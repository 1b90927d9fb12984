// DeleteAlias: removes an alias; the key it pointed at is untouched.
import { fail } from '../../core/errors.js';
import { aliasArn } from '../../core/keys.js';
import { defineOperation } from '../operation.js';
import { checkAliasName } from './alias-checks.js';

export const DeleteAlias = defineOperation({
  name: 'DeleteAlias',
  async run({ input, deps, request, useKey, authorizeIdentity }) {
    checkAliasName(input.AliasName);
    const accountId = request.principal.accountId;
    // "kms:DeleteAlias on the alias (IAM policy)" and on the alias's key (key policy).
    authorizeIdentity('kms:DeleteAlias', aliasArn(deps.region, accountId, input.AliasName));
    const target = await deps.keys.alias(accountId, deps.region, input.AliasName);
    if (target !== undefined) await useKey(target, { action: 'kms:DeleteAlias', states: 'any', aliases: false });
    await deps.store.transaction(async (tx) => {
      if (!(await tx.getAlias(accountId, deps.region, input.AliasName))) {
        fail('NotFoundException', `Alias '${aliasArn(deps.region, accountId, input.AliasName)}' is not found.`);
      }
      await tx.deleteAlias(accountId, deps.region, input.AliasName);
    });
    return {};
  },
});

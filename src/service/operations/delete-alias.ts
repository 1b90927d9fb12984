// DeleteAlias: removes an alias; the key it pointed at is untouched.
import { fail } from '../../core/errors.js';
import { aliasArn } from '../../core/keys.js';
import { defineOperation } from '../operation.js';
import { checkAliasName } from './alias-checks.js';

export const DeleteAlias = defineOperation({
  name: 'DeleteAlias',
  async run({ input, deps, request }) {
    checkAliasName(input.AliasName);
    const accountId = request.principal.accountId;
    await deps.store.transaction(async (tx) => {
      if (!(await tx.getAlias(accountId, deps.region, input.AliasName))) {
        fail('NotFoundException', `Alias '${aliasArn(deps.region, accountId, input.AliasName)}' is not found.`);
      }
      await tx.deleteAlias(accountId, deps.region, input.AliasName);
    });
    return {};
  },
});

// DisableAccount {AccountId}: the account's root keys, IAM users' keys and sessions stop working
// on the next request; its keys and data stay, for EnableAccount to give back.
import { needs } from '../core/errors.js';
import type { AdminAction } from './action.js';
import { accountIdField } from './account-fields.js';
import { setAccountStatus } from './account-status.js';
import { decodeAdminInput } from './input.js';

export const DisableAccount: AdminAction = {
  async run({ input, principal, deps }) {
    const { AccountId } = decodeAdminInput(input, { AccountId: accountIdField });
    /* Precondition: the administrator cannot lock itself out: its key belongs to its account. */
    needs(AccountId !== principal.accountId, 'ValidationException', "The administrator's own account cannot be disabled.");
    await setAccountStatus(deps, AccountId, 'Disabled');
    return {};
  },
};

// EnableAccount {AccountId}: a disabled account's credentials work again from the next request.
import type { AdminAction } from './action.js';
import { accountIdField } from './account-fields.js';
import { setAccountStatus } from './account-status.js';
import { decodeAdminInput } from './input.js';

export const EnableAccount: AdminAction = {
  async run({ input, deps }) {
    const { AccountId } = decodeAdminInput(input, { AccountId: accountIdField });
    await setAccountStatus(deps, AccountId, 'Active');
    return {};
  },
};

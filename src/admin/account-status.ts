// Changes an account's status. A disabled account's every credential (root keys, IAM users' keys,
// STS sessions) is refused from the next request: Identities checks the account's status whenever
// it loads a credential, and this write starts a new cache generation on every worker.
import { fail } from '../core/errors.js';
import type { AccountRecord } from '../store/store.js';
import type { AdminDeps } from './action.js';

/** Idempotent: disabling a disabled account (or enabling an active one) succeeds.
 *  NotFoundException for an account that does not exist. */
export async function setAccountStatus(deps: AdminDeps, accountId: string, status: AccountRecord['status']): Promise<void> {
  await deps.store.transaction(async (tx) => {
    if (!(await tx.getAccount(accountId))) fail('NotFoundException', `Account '${accountId}' does not exist.`);
    await tx.setAccountStatus(accountId, status);
  });
}

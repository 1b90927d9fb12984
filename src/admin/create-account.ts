// CreateAccount {Name}: a new, active account and an access key for its root. The secret is in
// this response only; the store keeps it wrapped under the root key, bound to the key's id.
import { generateCredentials } from '../auth/bootstrap.js';
import { accessKeyWrapContext } from '../auth/identities.js';
import { accountRootArn } from '../auth/principal.js';
import { fail } from '../core/errors.js';
import type { StoreTx } from '../store/store.js';
import type { AdminAction } from './action.js';
import { accountNameField, sameAccountName } from './account-fields.js';
import { decodeAdminInput } from './input.js';
import { unusedAccountId } from './new-account-id.js';

export const CreateAccount: AdminAction = {
  async run({ input, deps }) {
    const { Name } = decodeAdminInput(input, { Name: accountNameField });
    const now = deps.clock.now();
    // One write transaction: the name check, the id check and both inserts see no other writer.
    return deps.store.transaction(async (tx) => {
      if (await nameTaken(tx, Name)) fail('AlreadyExistsException', `An account named '${Name}' already exists (names are compared without regard to case).`);
      const accountId = await unusedAccountId(tx, deps.random);
      const credentials = await unusedCredentials(tx);
      await tx.insertAccount({ id: accountId, name: Name, status: 'Active', createdAt: now });
      await tx.insertAccessKey({
        id: credentials.accessKeyId,
        accountId,
        principalArn: accountRootArn(accountId),
        userName: null,
        wrappedSecret: deps.root.wrap(Buffer.from(credentials.secretAccessKey, 'utf8'), accessKeyWrapContext(credentials.accessKeyId)),
        status: 'Active',
        isAdmin: false,
        createdAt: now,
      });
      return { AccountId: accountId, AccessKeyId: credentials.accessKeyId, SecretAccessKey: credentials.secretAccessKey };
    });
  },
};

/** Accounts are few (an administrator creates each by hand), so a scan is cheap. */
async function nameTaken(tx: StoreTx, name: string): Promise<boolean> {
  let after: string | undefined;
  do {
    const page = await tx.listAccounts(after, 1000);
    if (page.items.some((account) => sameAccountName(account.name, name))) return true;
    after = page.next;
  } while (after !== undefined);
  return false;
}

/** A new access key id cannot collide in practice (32^16 ids), but a collision must not overwrite
 *  or fail as an internal error: draw again. */
async function unusedCredentials(tx: StoreTx): Promise<ReturnType<typeof generateCredentials>> {
  for (;;) {
    const credentials = generateCredentials();
    if (!(await tx.getAccessKey(credentials.accessKeyId))) return credentials;
  }
}

// IAM users and roles of the caller's account: their ARNs and unique ids, and finding one after
// authorising the action on it. Every lookup is scoped to the caller's account, so an action on
// another account's entities is impossible by construction.
import type { Random } from '../core/clock.js';
import { queryFail, type QueryCall } from '../server/query/action.js';
import type { RoleRecord, UserRecord } from '../store/identity-records.js';
import type { StoreTx } from '../store/store.js';

export const userArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:user${path}${name}`;
export const roleArn = (accountId: string, path: string, name: string): string => `arn:aws:iam::${accountId}:role${path}${name}`;

// AWS's unique ids: a four-letter prefix (AIDA users, AROA roles) and 17 characters of this
// alphabet. 32 letters, so `byte & 31` picks one without bias.
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function uniqueId(prefix: 'AIDA' | 'AROA', random: Random): string {
  return prefix + Array.from(random.bytes(17), (b) => ID_ALPHABET[b & 31]).join('');
}

/** The caller's user `name` once `action` is authorised on it. The action is authorised before
 *  the user's existence is revealed: on its ARN when it exists, else on the ARN it would have at
 *  path `/`, so a caller without the permission cannot probe for names. */
export async function authorizedUser(call: QueryCall, tx: StoreTx, action: string, name: string): Promise<UserRecord> {
  const { accountId } = call.principal;
  const user = await tx.getUser(accountId, name);
  call.authorize(action, user?.arn ?? userArn(accountId, '/', name));
  if (!user) queryFail('NoSuchEntity', `The user with name ${name} cannot be found.`);
  return user;
}

/** The caller's role `name` once `action` is authorised on it (the same rule as authorizedUser). */
export async function authorizedRole(call: QueryCall, tx: StoreTx, action: string, name: string): Promise<RoleRecord> {
  const { accountId } = call.principal;
  const role = await tx.getRole(accountId, name);
  call.authorize(action, role?.arn ?? roleArn(accountId, '/', name));
  if (!role) queryFail('NoSuchEntity', `The role with name ${name} cannot be found.`);
  return role;
}

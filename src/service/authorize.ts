// Authorisation of a principal for an action on a key.
// Until key policies and grants are evaluated (issue 3), this applies the default key policy's
// effect: the key's account (its root) may do everything, and the keyhold administrator too.
import type { Principal } from '../auth/principal.js';
import { fail } from '../core/errors.js';
import type { KeyRecord } from '../core/keys.js';

export function authorize(principal: Principal, action: string, key: KeyRecord): void {
  if (principal.isAdmin || principal.accountId === key.accountId) return;
  fail('AccessDeniedException', `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${key.arn} because no resource-based policy allows the ${action} action`);
}

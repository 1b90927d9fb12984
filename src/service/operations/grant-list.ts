// What ListGrants and ListRetirableGrants share: a stored grant as AWS's GrantListEntry, and the
// page size rule.
import { accountRootArn } from '../../auth/principal.js';
import type { GrantOperation } from '../../policy/grants.js';
import type { GrantRecord } from '../../store/identity-records.js';
import type { GrantListEntry } from '../model/kms-model.js';
import { apiConstraints } from './grant-checks.js';

/** One grant as ListGrants returns it: KeyId is the key ARN, IssuingAccount the account's root ARN
 *  (AWS: `"IssuingAccount": "arn:aws:iam::111122223333:root"`); Name, RetiringPrincipal and
 *  Constraints only when the grant has them. */
export function grantListEntry(grant: GrantRecord, keyArn: string): GrantListEntry {
  const constraints = apiConstraints(grant.constraints);
  return {
    KeyId: keyArn,
    GrantId: grant.grantId,
    ...(grant.name !== null ? { Name: grant.name } : {}),
    CreationDate: grant.createdAt,
    GranteePrincipal: grant.granteePrincipal,
    ...(grant.retiringPrincipal !== null ? { RetiringPrincipal: grant.retiringPrincipal } : {}),
    IssuingAccount: accountRootArn(grant.issuingAccount),
    // Stored operations were checked against GrantOperation when the grant was created.
    Operations: grant.operations as readonly GrantOperation[],
    ...(constraints !== undefined ? { Constraints: constraints } : {}),
  };
}

/** "If you include a value, it must be between 1 and 100, inclusive. If you do not include a
 *  value, it defaults to 50" (API reference, ListGrants). The service model allows up to 1000;
 *  a larger Limit is answered with at most 100 grants, as "KMS … might return fewer". */
export const grantPageSize = (limit: number | undefined): number => Math.min(limit ?? 50, 100);

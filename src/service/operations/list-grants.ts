// ListGrants: a key's grants, optionally one grant (GrantId) or one grantee's, paginated.
import { fail } from '../../core/errors.js';
import type { GrantRecord } from '../../store/identity-records.js';
import type { Page, StoreTx } from '../../store/store.js';
import { decodeMarker, pageFields } from '../marker.js';
import { defineOperation } from '../operation.js';
import { checkGrantId } from './grant-checks.js';
import { grantListEntry, grantPageSize } from './grant-list.js';

export const ListGrants = defineOperation({
  name: 'ListGrants',
  key: {
    from: (i) => i.KeyId,
    action: 'kms:ListGrants',
    states: 'any',
    aliases: false,
    // kms:GrantIsForAWSResource: no AWS service calls keyhold on anyone's behalf.
    extraOf: () => ({ 'kms:grantisforawsresource': 'false' }),
  },
  async run({ input, deps }, key) {
    if (input.GranteeServicePrincipal !== undefined) fail('UnsupportedOperationException', 'keyhold has no AWS service principals: filter with GranteePrincipal.');
    if (input.GrantId !== undefined) checkGrantId(input.GrantId);
    const after = decodeMarker(input.Marker);
    const limit = grantPageSize(input.Limit);
    const { GrantId: grantId, GranteePrincipal: grantee } = input;
    const keep = (g: GrantRecord): boolean => (grantId === undefined || g.grantId === grantId) && (grantee === undefined || g.granteePrincipal === grantee);
    const page = await deps.store.read(async (tx): Promise<Page<GrantRecord>> => {
      if (grantId !== undefined) {
        const grant = await tx.getGrant(grantId);
        return { items: grant?.keyId === key.record.id && keep(grant) ? [grant] : [], next: undefined };
      }
      return grantee === undefined ? tx.listGrants(key.record.id, after, limit) : matchingGrants(tx, key.record.id, after, limit, keep);
    });
    return { Grants: page.items.map((g) => grantListEntry(g, key.record.arn)), ...pageFields(page.next) };
  },
});

/** Up to `limit` of the key's grants that `keep` accepts, after `after`; `next` is set only when
 *  another accepted grant follows, so a filtered page is full unless it is the last. */
async function matchingGrants(tx: StoreTx, keyId: string, after: string | undefined, limit: number, keep: (g: GrantRecord) => boolean): Promise<Page<GrantRecord>> {
  const found: GrantRecord[] = [];
  let cursor = after;
  for (;;) {
    const page = await tx.listGrants(keyId, cursor, limit);
    for (const grant of page.items) {
      if (!keep(grant)) continue;
      const last = found.at(-1);
      if (found.length === limit && last) return { items: found, next: last.grantId };
      found.push(grant);
    }
    if (page.next === undefined) return { items: found, next: undefined };
    cursor = page.next;
  }
}

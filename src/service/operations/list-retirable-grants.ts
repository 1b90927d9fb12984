// ListRetirableGrants: the grants, on keys of any account, whose retiring principal is the given
// principal of the caller's account; authorised by the caller's IAM policies alone.
import { fail } from '../../core/errors.js';
import { decodeMarker, pageFields } from '../marker.js';
import { defineOperation } from '../operation.js';
import { checkPrincipalArn } from './grant-checks.js';
import { grantListEntry, grantPageSize } from './grant-list.js';

export const ListRetirableGrants = defineOperation({
  name: 'ListRetirableGrants',
  async run({ input, deps, request, authorizeIdentity }) {
    if (input.RetiringServicePrincipal !== undefined) fail('UnsupportedOperationException', 'keyhold has no AWS service principals: use RetiringPrincipal.');
    const retiring = input.RetiringPrincipal;
    if (retiring === undefined) fail('ValidationException', 'You must specify either RetiringPrincipal or RetiringServicePrincipal.');
    checkPrincipalArn(retiring);
    // "The authorized resource in ListRetirableGrants calls is the retiring principal specified in the request."
    authorizeIdentity('kms:ListRetirableGrants', retiring);
    // "You must specify a principal in your Amazon Web Services account."
    const { principal } = request;
    if (retiring.split(':')[4] !== principal.accountId) {
      fail('AccessDeniedException', `User: ${principal.arn} is not authorized to perform: kms:ListRetirableGrants on resource: ${retiring}: the retiring principal must be in the caller's account`);
    }
    const after = decodeMarker(input.Marker);
    const { page, keyArns } = await deps.store.read(async (tx) => {
      const found = await tx.listRetirableGrants(retiring, after, grantPageSize(input.Limit));
      const arns = new Map<string, string>();
      for (const g of found.items) {
        if (!arns.has(g.keyId)) arns.set(g.keyId, (await tx.getKey(g.keyId))?.arn ?? g.keyId);
      }
      return { page: found, keyArns: arns };
    });
    return { Grants: page.items.map((g) => grantListEntry(g, keyArns.get(g.keyId) ?? g.keyId)), ...pageFields(page.next) };
  },
});

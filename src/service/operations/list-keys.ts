// ListKeys: the caller's account's keys in this region, paginated with Limit/Marker.
import { decodeMarker, pageFields } from '../marker.js';
import { defineOperation } from '../operation.js';

export const ListKeys = defineOperation({
  name: 'ListKeys',
  async run({ input, deps, request, authorizeIdentity }) {
    authorizeIdentity('kms:ListKeys', '*');
    const after = decodeMarker(input.Marker);
    const page = await deps.store.read((tx) => tx.listKeys(request.principal.accountId, deps.region, after, input.Limit ?? 100));
    return { Keys: page.items.map((k) => ({ KeyId: k.id, KeyArn: k.arn })), ...pageFields(page.next) };
  },
});

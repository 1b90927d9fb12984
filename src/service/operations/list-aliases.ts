// ListAliases: the account's aliases, optionally those of one key, paginated. Without a KeyId the
// reserved aliases of registered services are listed too, keyless until their key exists (AWS).
import { aliasArn } from '../../core/keys.js';
import { decodeMarker, pageFields } from '../marker.js';
import { defineOperation } from '../operation.js';
import { aliasesWithReserved, type ListedAlias } from '../reserved-aliases.js';

export const ListAliases = defineOperation({
  name: 'ListAliases',
  async run({ input, deps, request, useKey, authorizeIdentity }) {
    if (input.KeyId === undefined) authorizeIdentity('kms:ListAliases', '*');
    const after = decodeMarker(input.Marker);
    const limit = input.Limit ?? 100;
    const keyId = input.KeyId === undefined
      ? undefined
      : (await useKey(input.KeyId, { action: 'kms:ListAliases', states: 'any', aliases: false })).record.id;
    const accountId = request.principal.accountId;
    const page = await deps.store.read(async (tx) => {
      if (keyId === undefined) return aliasesWithReserved(tx, accountId, deps.region, after, limit);
      const own = await tx.listAliases(accountId, deps.region, keyId, after, limit);
      return { items: own.items.map((stored): ListedAlias => ({ name: stored.name, stored })), next: own.next };
    });
    return {
      Aliases: page.items.map(({ name, stored }) => ({
        AliasName: name,
        AliasArn: aliasArn(deps.region, accountId, name),
        // A reserved alias whose key does not exist yet has neither target nor dates, as on AWS.
        ...(stored ? { TargetKeyId: stored.targetKeyId, CreationDate: stored.createdAt, LastUpdatedDate: stored.updatedAt } : {}),
      })),
      ...pageFields(page.next),
    };
  },
});

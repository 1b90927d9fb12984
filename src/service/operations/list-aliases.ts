// ListAliases: the account's aliases, optionally those of one key, paginated.
import { aliasArn } from '../../core/keys.js';
import { decodeMarker, pageFields } from '../marker.js';
import { defineOperation } from '../operation.js';

export const ListAliases = defineOperation({
  name: 'ListAliases',
  async run({ input, deps, request, useKey, authorizeIdentity }) {
    if (input.KeyId === undefined) authorizeIdentity('kms:ListAliases', '*');
    const after = decodeMarker(input.Marker);
    const keyId = input.KeyId === undefined
      ? undefined
      : (await useKey(input.KeyId, { action: 'kms:ListAliases', states: 'any', aliases: false })).record.id;
    const accountId = request.principal.accountId;
    const page = await deps.store.read((tx) => tx.listAliases(accountId, deps.region, keyId, after, input.Limit ?? 100));
    return {
      Aliases: page.items.map((a) => ({
        AliasName: a.name,
        AliasArn: aliasArn(a.region, a.accountId, a.name),
        TargetKeyId: a.targetKeyId,
        CreationDate: a.createdAt,
        LastUpdatedDate: a.updatedAt,
      })),
      ...pageFields(page.next),
    };
  },
});

// ListAccounts {Limit, Marker}: every account, by id, a page at a time, with KMS's paging fields
// (NextMarker and Truncated, as ListKeys has them).
import { decodeMarker, pageFields } from '../service/marker.js';
import type { AdminAction } from './action.js';
import { decodeAdminInput, integerField, stringField } from './input.js';

const DEFAULT_LIMIT = 100;

export const ListAccounts: AdminAction = {
  async run({ input, deps }) {
    const { Limit, Marker } = decodeAdminInput(input, {
      Limit: integerField(false, { min: 1, max: 1000 }),
      // ListKeys's rule for markers: printable Latin-1, up to 1024 characters.
      Marker: stringField(false, { min: 1, max: 1024, pattern: { regex: /^[\u0020-\u00FF]*$/, says: 'Member must satisfy regular expression pattern: [\\u0020-\\u00FF]*' } }),
    });
    const page = await deps.store.read((tx) => tx.listAccounts(decodeMarker(Marker), Limit ?? DEFAULT_LIMIT));
    return {
      Accounts: page.items.map((account) => ({ AccountId: account.id, Name: account.name, Status: account.status, CreationDate: account.createdAt })),
      ...pageFields(page.next),
    };
  },
};

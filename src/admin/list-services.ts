// ListServices {Limit, Marker}: every registered integrated service, by name, a page at a time,
// with KMS's paging fields. Tokens are never listed: only their hashes are kept.
import { decodeMarker, pageFields } from '../service/marker.js';
import type { AdminAction } from './action.js';
import { decodeAdminInput, integerField, stringField } from './input.js';

const DEFAULT_LIMIT = 100;

export const ListServices: AdminAction = {
  async run({ input, deps }) {
    const { Limit, Marker } = decodeAdminInput(input, {
      Limit: integerField(false, { min: 1, max: 1000 }),
      Marker: stringField(false, { min: 1, max: 1024, pattern: { regex: /^[\u0020-\u00FF]*$/, says: 'Member must satisfy regular expression pattern: [\\u0020-\\u00FF]*' } }),
    });
    const page = await deps.store.read((tx) => tx.listServices(decodeMarker(Marker), Limit ?? DEFAULT_LIMIT));
    return {
      Services: page.items.map((service) => ({ ServiceName: service.name, CreationDate: service.createdAt })),
      ...pageFields(page.next),
    };
  },
};

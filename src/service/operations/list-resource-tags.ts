// ListResourceTags: a key's tags in tag-key order, paginated (Limit default 50).
import { decodeMarker, pageFields } from '../marker.js';
import { defineOperation } from '../operation.js';

export const ListResourceTags = defineOperation({
  name: 'ListResourceTags',
  key: { from: (i) => i.KeyId, action: 'kms:ListResourceTags', states: 'any', aliases: false },
  async run({ input, deps }, key) {
    const after = decodeMarker(input.Marker);
    const page = await deps.store.read((tx) => tx.listTags(key.record.id, after, Math.min(input.Limit ?? 50, 50)));
    return { Tags: page.items, ...pageFields(page.next) };
  },
});

// DescribeKey: a key's metadata, in any state.
import { defineOperation } from '../operation.js';
import { keyMetadata } from '../metadata.js';

export const DescribeKey = defineOperation({
  name: 'DescribeKey',
  key: { from: (i) => i.KeyId, action: 'kms:DescribeKey', states: 'any', aliases: true },
  async run(_call, key) {
    return { KeyMetadata: keyMetadata(key.record) };
  },
});

// GenerateRandom: 1..1024 random bytes from the service's CSPRNG.
import { fail } from '../../core/errors.js';
import { defineOperation } from '../operation.js';

export const GenerateRandom = defineOperation({
  name: 'GenerateRandom',
  async run({ input, deps, authorizeIdentity }) {
    authorizeIdentity('kms:GenerateRandom', '*');
    if (input.CustomKeyStoreId !== undefined) fail('CustomKeyStoreNotFoundException', `Custom key store '${input.CustomKeyStoreId}' does not exist.`);
    if (input.Recipient !== undefined) fail('UnsupportedOperationException', 'Recipient (attested enclaves) is not supported by keyhold.');
    if (input.NumberOfBytes === undefined) fail('ValidationException', '1 validation error detected: Value null at \'numberOfBytes\' failed to satisfy constraint: Member must not be null');
    return { Plaintext: deps.random.bytes(input.NumberOfBytes) };
  },
});

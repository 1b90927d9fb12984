// RegisterService {ServiceName}: an integrated service (e.g. `media`) that customers' requests may
// come through, and whose service-managed key each account gets under `alias/aws/<name>` on first
// use. The answer holds the service's token, this once; the store keeps only its SHA-256.
import { hashServiceToken, newServiceToken } from '../auth/service-tokens.js';
import { fail } from '../core/errors.js';
import type { AdminAction } from './action.js';
import { decodeAdminInput } from './input.js';
import { serviceNameField } from './service-fields.js';

export const RegisterService: AdminAction = {
  async run({ input, deps }) {
    const { ServiceName } = decodeAdminInput(input, { ServiceName: serviceNameField });
    const token = newServiceToken(deps.random);
    const createdAt = deps.clock.now();
    // One write transaction: no other writer can register the name between the check and the insert.
    await deps.store.transaction(async (tx) => {
      if (await tx.getService(ServiceName)) fail('AlreadyExistsException', `A service named '${ServiceName}' is already registered.`);
      await tx.insertService({ name: ServiceName, tokenHash: hashServiceToken(token), createdAt });
    });
    return { ServiceName, ServiceToken: token, CreationDate: createdAt };
  },
};

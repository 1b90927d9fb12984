// A write to one key: re-reads the key inside the transaction and re-checks its state there,
// so two concurrent requests cannot both act on a state only one of them saw.
import { fail } from '../core/errors.js';
import type { KeyRecord } from '../core/keys.js';
import type { StoreTx } from '../store/store.js';
import { checkState, type StateRule } from './key-states.js';
import type { ServiceDeps } from './operation.js';

export async function mutateKey<T>(
  deps: ServiceDeps,
  keyId: string,
  states: StateRule,
  fn: (tx: StoreTx, key: KeyRecord) => Promise<T>,
): Promise<T> {
  return deps.store.transaction(async (tx) => {
    const key = await tx.getKey(keyId);
    if (!key) fail('NotFoundException', `Key '${keyId}' does not exist`);
    checkState(states, key, deps.clock.now());
    return fn(tx, key);
  });
}

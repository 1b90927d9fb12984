// Chooses the root key source and proves it is the one the store was initialised with,
// before anything else touches the store: a wrong root key changes nothing.
import { join } from 'node:path';
import type { Random } from '../../core/clock.js';
import type { Store } from '../../store/store.js';
import { RootKey, RootKeyError } from './root-key.js';

const CHECK_CONTEXT = 'root-key-check';
const CHECK_PLAINTEXT = Buffer.from('keyhold root key check v1');

export interface RootKeySource {
  readonly dataDir: string;
  readonly passphrase: string | undefined;
}

/** Opens the root key for `store`. On a new store it creates the key (file or salt) and records a
 *  check value; on an existing one it refuses, without writing, when the key does not match. */
export async function openRootKey(store: Store, source: RootKeySource, random: Random): Promise<RootKey> {
  const recorded = await store.read(async (tx) => ({
    kind: await tx.getMeta('root_key.kind'),
    check: await tx.getMeta('root_key.check'),
    salt: await tx.getMeta('root_key.salt'),
  }));
  const isNew = recorded.check === undefined;
  const kind = source.passphrase !== undefined ? 'passphrase' : 'file';
  if (!isNew && recorded.kind !== kind) {
    throw new RootKeyError(
      recorded.kind === 'passphrase'
        ? 'this store was initialised with a root passphrase: set KEYHOLD_ROOT_PASSPHRASE'
        : 'this store was initialised with a root key file, not a passphrase: unset KEYHOLD_ROOT_PASSPHRASE',
    );
  }
  const salt = recorded.salt !== undefined ? Buffer.from(recorded.salt, 'base64') : random.bytes(16);
  const root =
    source.passphrase !== undefined
      ? await RootKey.fromPassphrase(source.passphrase, salt, random)
      : RootKey.fromFile(join(source.dataDir, 'root.key'), random, isNew);

  if (isNew) {
    const recordedHere = await store.transaction(async (tx) => {
      // Another node (sharing a PostgreSQL store) may have initialised it since the read above:
      // never overwrite its salt and check value, or the two would hold different root keys.
      if ((await tx.getMeta('root_key.check')) !== undefined) return false;
      await tx.setMeta('root_key.kind', kind);
      if (kind === 'passphrase') await tx.setMeta('root_key.salt', salt.toString('base64'));
      await tx.setMeta('root_key.check', root.wrap(CHECK_PLAINTEXT, CHECK_CONTEXT).toString('base64'));
      return true;
    });
    // Lost the race: prove this node's key against the one recorded (the same passphrase matches;
    // a root key file just generated here does not, and the node refuses to start).
    return recordedHere ? root : openRootKey(store, source, random);
  }
  const opened = root.unwrap(Buffer.from(recorded.check ?? '', 'base64'), CHECK_CONTEXT);
  if (!opened?.equals(CHECK_PLAINTEXT)) {
    throw new RootKeyError(`the root ${kind === 'passphrase' ? 'passphrase' : 'key file'} does not match the one this store was initialised with; refusing to start (nothing was changed)`);
  }
  return root;
}

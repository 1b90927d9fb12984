// First start: the default account and the administrator's access key. The secret is stored only
// wrapped under the root key; when keyhold generated it, the caller shows it once.
import { randomInt } from 'node:crypto';
import type { RootKey } from '../backends/software/root-key.js';
import type { Clock } from '../core/clock.js';
import type { Store } from '../store/store.js';
import { accessKeyWrapContext } from './identities.js';

export interface AdminCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface BootstrapOptions {
  readonly accountId: string;
  /** Credentials the operator chose (KEYHOLD_ADMIN_*); they replace the stored ones. */
  readonly admin: AdminCredentials | undefined;
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const pick = (alphabet: string, n: number): string => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/** AWS-shaped credentials: AKIA + 16 characters, and a 40-character secret. */
export const generateCredentials = (): AdminCredentials => ({
  accessKeyId: `AKIA${pick(UPPER_ALNUM, 16)}`,
  secretAccessKey: pick(SECRET_CHARS, 40),
});

/** Ensures the default account and an administrator key exist. Returns the credentials only when
 *  they were generated now (the only moment they can be shown). */
export async function bootstrap(store: Store, root: RootKey, clock: Clock, options: BootstrapOptions): Promise<AdminCredentials | undefined> {
  return store.transaction(async (tx) => {
    const now = clock.now();
    if (!(await tx.getAccount(options.accountId))) await tx.insertAccount({ id: options.accountId, name: 'default', status: 'Active', createdAt: now });
    const adminId = await tx.getMeta('admin.access_key_id');
    const chosen = options.admin;
    if (chosen) {
      const wrapped = root.wrap(Buffer.from(chosen.secretAccessKey, 'utf8'), accessKeyWrapContext(chosen.accessKeyId));
      if (await tx.getAccessKey(chosen.accessKeyId)) {
        await tx.replaceAccessKeySecret(chosen.accessKeyId, wrapped);
        await tx.setAccessKeyStatus(chosen.accessKeyId, 'Active');
      }
      else await insertAdmin(tx, options.accountId, chosen.accessKeyId, wrapped, now);
      if (adminId !== chosen.accessKeyId) {
        // The operator chose new administrator credentials: the previous ones stop working.
        if (adminId !== undefined) await tx.setAccessKeyStatus(adminId, 'Inactive');
        await tx.setMeta('admin.access_key_id', chosen.accessKeyId);
      }
      return undefined;
    }
    if (adminId !== undefined) return undefined;
    const generated = generateCredentials();
    const wrapped = root.wrap(Buffer.from(generated.secretAccessKey, 'utf8'), accessKeyWrapContext(generated.accessKeyId));
    await insertAdmin(tx, options.accountId, generated.accessKeyId, wrapped, now);
    await tx.setMeta('admin.access_key_id', generated.accessKeyId);
    return generated;
  });
}

async function insertAdmin(tx: Parameters<Parameters<Store['transaction']>[0]>[0], accountId: string, id: string, wrapped: Buffer, now: Date): Promise<void> {
  await tx.insertAccessKey({ id, accountId, principalArn: `arn:aws:iam::${accountId}:root`, userName: null, wrappedSecret: wrapped, status: 'Active', isAdmin: true, createdAt: now });
}

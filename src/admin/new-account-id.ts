// Fresh account ids: 12 uniformly random decimal digits, never one already in the store.
import type { Random } from '../core/clock.js';
import type { StoreTx } from '../store/store.js';

const ACCOUNT_IDS = 1e12;
/** Far more than a working random source ever needs; a bound so a broken one fails, not hangs. */
const MAX_ATTEMPTS = 100;

/** 12 random digits (AWS account ids may start with 0). Rejection sampling over 40-bit numbers
 *  (2^40 ≈ 1.0995e12, so 91% are kept) avoids the bias of taking a remainder. */
export function randomAccountId(random: Random): string {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const n = random.bytes(5).readUIntBE(0, 5);
    if (n < ACCOUNT_IDS) return String(n).padStart(12, '0');
  }
  throw new Error('the random source gave no number below 10^12');
}

/** An id no account has; run inside the write transaction that inserts the account, so that no
 *  other writer can take the id between the check and the insert. */
export async function unusedAccountId(tx: StoreTx, random: Random): Promise<string> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const id = randomAccountId(random);
    if (!(await tx.getAccount(id))) return id;
  }
  throw new Error('no unused account id found');
}

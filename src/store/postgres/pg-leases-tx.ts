// StoreTx on PostgreSQL, the leases that let one node at a time run a cluster-wide scheduler job.
import { PgServicesTx } from './pg-services-tx.js';

export class PgLeasesTx extends PgServicesTx {
  async acquireLease(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    // One upsert: inserts an absent lease, or takes over one that is ours or has expired; a lease
    // another holder still holds matches no row, so nothing changes. Write transactions take the
    // store's advisory lock first, so two nodes' attempts run one after the other and the second
    // sees the first's row: never both get it.
    const changed = await this.run(
      `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= $4`,
      name, holder, now.getTime() + ttlMs, now.getTime(),
    );
    return changed > 0;
  }
}

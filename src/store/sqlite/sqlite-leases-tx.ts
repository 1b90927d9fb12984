// StoreTx on SQLite, the leases that let one node at a time run a cluster-wide scheduler job.
import { SqliteServicesTx } from './sqlite-services-tx.js';

export class SqliteLeasesTx extends SqliteServicesTx {
  async acquireLease(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    // One upsert: inserts an absent lease, or takes over one that is ours or has expired; a lease
    // another holder still holds matches no row, so nothing changes.
    const changed = this.run(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
      name, holder, now.getTime() + ttlMs, now.getTime(),
    );
    return changed > 0;
  }
}

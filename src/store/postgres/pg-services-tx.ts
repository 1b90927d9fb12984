// StoreTx on PostgreSQL, the integrated services the administrator registers (service-managed keys).
import type { Page, ServiceRecord } from '../store.js';
import type { Row } from '../sqlite/rows.js';
import { page } from '../sqlite/sqlite-statements.js';
import { PgIdentityTx } from './pg-identity-tx.js';

const toService = (r: Row): ServiceRecord => ({ name: String(r.name), tokenHash: String(r.token_hash), createdAt: new Date(Number(r.created_at)) });

export class PgServicesTx extends PgIdentityTx {
  async insertService(s: ServiceRecord): Promise<void> {
    // The primary key refuses a second row of the same name.
    await this.run('INSERT INTO services (name, token_hash, created_at) VALUES ($1, $2, $3)', s.name, s.tokenHash, s.createdAt.getTime());
  }
  async getService(name: string): Promise<ServiceRecord | undefined> {
    const r = await this.get('SELECT * FROM services WHERE name = $1', name);
    return r && toService(r);
  }
  async listServices(after: string | undefined, limit: number): Promise<Page<ServiceRecord>> {
    const rows = await this.all('SELECT * FROM services WHERE name > $1 ORDER BY name LIMIT $2', after ?? '', limit + 1);
    return page(rows, limit, toService, (r) => String(r.name));
  }
}

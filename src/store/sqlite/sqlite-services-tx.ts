// StoreTx on SQLite, the integrated services the administrator registers (service-managed keys).
import type { Page, ServiceRecord } from '../store.js';
import type { Row } from './rows.js';
import { SqliteIdentityTx } from './sqlite-identity-tx.js';
import { page } from './sqlite-statements.js';

const toService = (r: Row): ServiceRecord => ({ name: String(r.name), tokenHash: String(r.token_hash), createdAt: new Date(Number(r.created_at)) });

export class SqliteServicesTx extends SqliteIdentityTx {
  async insertService(s: ServiceRecord): Promise<void> {
    // The primary key refuses a second row of the same name.
    this.run('INSERT INTO services (name, token_hash, created_at) VALUES (?, ?, ?)', s.name, s.tokenHash, s.createdAt.getTime());
  }
  async getService(name: string): Promise<ServiceRecord | undefined> {
    const r = this.get('SELECT * FROM services WHERE name = ?', name);
    return r && toService(r);
  }
  async listServices(after: string | undefined, limit: number): Promise<Page<ServiceRecord>> {
    const rows = this.all('SELECT * FROM services WHERE name > ? ORDER BY name LIMIT ?', after ?? '', limit + 1);
    return page(rows, limit, toService, (r) => String(r.name));
  }
}

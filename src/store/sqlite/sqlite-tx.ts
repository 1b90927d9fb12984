// StoreTx on SQLite: keys, aliases, tags, accounts, access keys; run only inside SqliteStore.transaction.
import type { AliasRecord, KeyMaterialRecord, KeyRecord, KeyState, Tag } from '../../core/keys.js';
import type { AccessKeyRecord, AccountRecord, KeyPatch, KeyUsageRecord, MaterialPatch, Page, StoreTx } from '../store.js';
import { SqliteLeasesTx } from './sqlite-leases-tx.js';
import { page } from './sqlite-statements.js';
import { toAccessKey, toAccount, toAlias, toKey, toMaterial } from './rows.js';

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

/** Keys, aliases, tags, accounts and access keys; leases, services, identities and grants are in the base classes. */
export class SqliteTx extends SqliteLeasesTx implements StoreTx {
  async getMeta(name: string): Promise<string | undefined> {
    const r = this.get('SELECT value FROM meta WHERE name = ?', name);
    return r ? String(r.value) : undefined;
  }
  async setMeta(name: string, value: string): Promise<void> {
    this.run('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value', name, value);
  }

  async insertAccount(a: AccountRecord): Promise<void> {
    this.run('INSERT INTO accounts (id, name, status, created_at) VALUES (?, ?, ?, ?)', a.id, a.name, a.status, a.createdAt.getTime());
  }
  async listAccounts(after: string | undefined, limit: number): Promise<Page<AccountRecord>> {
    const rows = this.all('SELECT * FROM accounts WHERE id > ? ORDER BY id LIMIT ?', after ?? '', limit + 1);
    return page(rows, limit, toAccount, (r) => String(r.id));
  }
  async setAccountStatus(id: string, status: AccountRecord['status']): Promise<void> {
    this.run('UPDATE accounts SET status = ? WHERE id = ?', status, id);
  }
  async getAccount(id: string): Promise<AccountRecord | undefined> {
    const r = this.get('SELECT * FROM accounts WHERE id = ?', id);
    return r && toAccount(r);
  }

  async insertAccessKey(k: AccessKeyRecord): Promise<void> {
    this.run(
      'INSERT INTO access_keys (id, account_id, principal_arn, user_name, wrapped_secret, status, is_admin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      k.id, k.accountId, k.principalArn, k.userName, k.wrappedSecret, k.status, k.isAdmin ? 1 : 0, k.createdAt.getTime(),
    );
  }
  async getAccessKey(id: string): Promise<AccessKeyRecord | undefined> {
    const r = this.get('SELECT * FROM access_keys WHERE id = ?', id);
    return r && toAccessKey(r);
  }
  async replaceAccessKeySecret(id: string, wrappedSecret: Buffer): Promise<void> {
    this.run('UPDATE access_keys SET wrapped_secret = ? WHERE id = ?', wrappedSecret, id);
  }

  async setAccessKeyStatus(id: string, status: AccessKeyRecord['status']): Promise<void> {
    this.run('UPDATE access_keys SET status = ? WHERE id = ?', status, id);
  }

  async listAccessKeys(accountId: string, userName: string | null): Promise<readonly AccessKeyRecord[]> {
    return this.all('SELECT * FROM access_keys WHERE account_id = ? AND user_name IS ? ORDER BY created_at, id', accountId, userName).map(toAccessKey);
  }
  async deleteAccessKey(id: string): Promise<void> {
    this.run('DELETE FROM access_keys WHERE id = ?', id);
  }

  async insertKey(k: KeyRecord): Promise<void> {
    this.run(
      `INSERT INTO keys (id, account_id, region, arn, created_at, description, key_spec, key_usage, origin, state,
         policy, deletion_date, pending_window_days, current_material_id, rotation_period_days, next_rotation_date,
         on_demand_rotations, key_manager, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      k.id, k.accountId, k.region, k.arn, k.createdAt.getTime(), k.description, k.keySpec, k.keyUsage, k.origin,
      k.state, k.policy, ms(k.deletionDate), k.pendingWindowDays, k.currentMaterialId, k.rotationPeriodDays,
      ms(k.nextRotationDate), k.onDemandRotations, k.keyManager, ms(k.validTo),
    );
  }
  async getKey(id: string): Promise<KeyRecord | undefined> {
    const r = this.get('SELECT * FROM keys WHERE id = ?', id);
    return r && toKey(r);
  }
  async updateKey(id: string, patch: KeyPatch): Promise<void> {
    const columns: Record<keyof KeyPatch, string> = {
      description: 'description', state: 'state', deletionDate: 'deletion_date',
      pendingWindowDays: 'pending_window_days', policy: 'policy', currentMaterialId: 'current_material_id',
      rotationPeriodDays: 'rotation_period_days', nextRotationDate: 'next_rotation_date',
      onDemandRotations: 'on_demand_rotations', validTo: 'valid_to',
    };
    const entries = (Object.keys(patch) as (keyof KeyPatch)[]).filter((k) => patch[k] !== undefined);
    if (entries.length === 0) return;
    const sets = entries.map((k) => `${columns[k]} = ?`).join(', ');
    const values = entries.map((k) => {
      const v = patch[k];
      return v instanceof Date ? v.getTime() : v;
    });
    this.run(`UPDATE keys SET ${sets} WHERE id = ?`, ...values, id);
  }
  async deleteKey(id: string): Promise<void> {
    this.run('DELETE FROM keys WHERE id = ?', id);
  }
  async listKeys(accountId: string, region: string, after: string | undefined, limit: number): Promise<Page<KeyRecord>> {
    const rows = this.all(
      'SELECT * FROM keys WHERE account_id = ? AND region = ? AND id > ? ORDER BY id LIMIT ?',
      accountId, region, after ?? '', limit + 1,
    );
    return page(rows, limit, toKey, (r) => String(r.id));
  }
  async countKeysByState(): Promise<ReadonlyMap<KeyState, number>> {
    const rows = this.all('SELECT state, COUNT(*) AS n FROM keys GROUP BY state');
    return new Map(rows.map((r) => [r.state as KeyState, Number(r.n)]));
  }
  async keysDueForDeletion(now: Date): Promise<readonly KeyRecord[]> {
    return this.all(
      "SELECT * FROM keys WHERE state = 'PendingDeletion' AND deletion_date <= ? ORDER BY deletion_date",
      now.getTime(),
    ).map(toKey);
  }
  async recordKeyUsage(uses: readonly KeyUsageRecord[]): Promise<void> {
    for (const u of uses) {
      // A key deleted since its use was recorded has no row to keep it for.
      this.run(
        `INSERT INTO key_last_usage (key_id, operation, used_at, request_id) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM keys WHERE id = ?)
         ON CONFLICT(key_id) DO UPDATE SET operation = excluded.operation, used_at = excluded.used_at, request_id = excluded.request_id
         WHERE excluded.used_at >= key_last_usage.used_at`,
        u.keyId, u.operation, u.usedAt.getTime(), u.requestId, u.keyId,
      );
    }
  }
  async getKeyLastUsage(keyId: string): Promise<KeyUsageRecord | undefined> {
    const r = this.get('SELECT * FROM key_last_usage WHERE key_id = ?', keyId);
    return r ? { keyId: String(r.key_id), operation: String(r.operation), usedAt: new Date(Number(r.used_at)), requestId: String(r.request_id) } : undefined;
  }
  async keysDueForRotation(now: Date): Promise<readonly KeyRecord[]> {
    return this.all(
      "SELECT * FROM keys WHERE state = 'Enabled' AND next_rotation_date <= ? ORDER BY next_rotation_date",
      now.getTime(),
    ).map(toKey);
  }

  async insertMaterial(m: KeyMaterialRecord): Promise<void> {
    const i = m.imported;
    this.run(
      `INSERT INTO key_materials (key_id, material_id, wrapped, created_at, rotation_type, rotated_at, import_state,
         expires_at, description, pending_rotation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      m.keyId, m.materialId, m.wrapped, m.createdAt.getTime(), m.rotationType, ms(m.rotatedAt ?? null),
      i?.state ?? null, ms(i?.expiresAt ?? null), i?.description ?? null, i?.pendingRotation === true ? 1 : 0,
    );
  }
  async updateMaterial(keyId: string, materialId: string, m: MaterialPatch): Promise<void> {
    const i = m.imported;
    this.run(
      `UPDATE key_materials SET wrapped = ?, created_at = ?, rotation_type = ?, rotated_at = ?, import_state = ?,
         expires_at = ?, description = ?, pending_rotation = ? WHERE key_id = ? AND material_id = ?`,
      m.wrapped, m.createdAt.getTime(), m.rotationType, ms(m.rotatedAt ?? null), i?.state ?? null,
      ms(i?.expiresAt ?? null), i?.description ?? null, i?.pendingRotation === true ? 1 : 0, keyId, materialId,
    );
  }
  async deleteMaterial(keyId: string, materialId: string): Promise<void> {
    this.run('DELETE FROM key_materials WHERE key_id = ? AND material_id = ?', keyId, materialId);
  }
  async materialsDueToExpire(now: Date): Promise<readonly KeyMaterialRecord[]> {
    return this.all(
      "SELECT * FROM key_materials WHERE import_state = 'IMPORTED' AND expires_at <= ? ORDER BY expires_at",
      now.getTime(),
    ).map(toMaterial);
  }
  async listMaterials(keyId: string): Promise<readonly KeyMaterialRecord[]> {
    return this.all('SELECT * FROM key_materials WHERE key_id = ? ORDER BY created_at, rowid', keyId).map(toMaterial);
  }

  async insertAlias(a: AliasRecord): Promise<void> {
    this.run(
      'INSERT INTO aliases (account_id, region, name, target_key_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      a.accountId, a.region, a.name, a.targetKeyId, a.createdAt.getTime(), a.updatedAt.getTime(),
    );
  }
  async getAlias(accountId: string, region: string, name: string): Promise<AliasRecord | undefined> {
    const r = this.get('SELECT * FROM aliases WHERE account_id = ? AND region = ? AND name = ?', accountId, region, name);
    return r && toAlias(r);
  }
  async retargetAlias(accountId: string, region: string, name: string, targetKeyId: string, at: Date): Promise<void> {
    this.run(
      'UPDATE aliases SET target_key_id = ?, updated_at = ? WHERE account_id = ? AND region = ? AND name = ?',
      targetKeyId, at.getTime(), accountId, region, name,
    );
  }
  async deleteAlias(accountId: string, region: string, name: string): Promise<void> {
    this.run('DELETE FROM aliases WHERE account_id = ? AND region = ? AND name = ?', accountId, region, name);
  }
  async listAliases(accountId: string, region: string, keyId: string | undefined, after: string | undefined, limit: number): Promise<Page<AliasRecord>> {
    const rows = this.all(
      `SELECT * FROM aliases WHERE account_id = ? AND region = ? AND (? IS NULL OR target_key_id = ?) AND name > ?
       ORDER BY name LIMIT ?`,
      accountId, region, keyId ?? null, keyId ?? null, after ?? '', limit + 1,
    );
    return page(rows, limit, toAlias, (r) => String(r.name));
  }

  async putTags(keyId: string, tags: readonly Tag[]): Promise<void> {
    for (const t of tags) {
      this.run(
        'INSERT INTO tags (key_id, tag_key, tag_value) VALUES (?, ?, ?) ON CONFLICT(key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value',
        keyId, t.TagKey, t.TagValue,
      );
    }
  }
  async removeTags(keyId: string, tagKeys: readonly string[]): Promise<void> {
    for (const k of tagKeys) this.run('DELETE FROM tags WHERE key_id = ? AND tag_key = ?', keyId, k);
  }
  async countTags(keyId: string): Promise<number> {
    return Number(this.get('SELECT COUNT(*) AS n FROM tags WHERE key_id = ?', keyId)?.n ?? 0);
  }
  async listTags(keyId: string, after: string | undefined, limit: number): Promise<Page<Tag>> {
    const rows = this.all('SELECT * FROM tags WHERE key_id = ? AND tag_key > ? ORDER BY tag_key LIMIT ?', keyId, after ?? '', limit + 1);
    return page(rows, limit, (r) => ({ TagKey: String(r.tag_key), TagValue: String(r.tag_value) }), (r) => String(r.tag_key));
  }
}

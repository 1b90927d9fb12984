// StoreTx on SQLite, the identity half: IAM users, roles, inline policies, STS sessions, grants.
import type { GrantRecord, InlinePolicyRecord, PolicyOwner, RoleRecord, SessionRecord, UserRecord } from '../identity-records.js';
import type { Page } from '../store.js';
import { toGrant, toInlinePolicy, toRole, toSession, toUser } from './identity-rows.js';
import { SqliteStatements, page } from './sqlite-statements.js';

export class SqliteIdentityTx extends SqliteStatements {
  async insertUser(u: UserRecord): Promise<void> {
    this.run('INSERT INTO users (account_id, name, user_id, path, arn, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      u.accountId, u.name, u.userId, u.path, u.arn, u.createdAt.getTime());
  }
  async getUser(accountId: string, name: string): Promise<UserRecord | undefined> {
    const r = this.get('SELECT * FROM users WHERE account_id = ? AND name = ?', accountId, name);
    return r && toUser(r);
  }
  async deleteUser(accountId: string, name: string): Promise<void> {
    this.run('DELETE FROM users WHERE account_id = ? AND name = ?', accountId, name);
  }
  async listUsers(accountId: string, after: string | undefined, limit: number): Promise<Page<UserRecord>> {
    const rows = this.all('SELECT * FROM users WHERE account_id = ? AND name > ? ORDER BY name LIMIT ?', accountId, after ?? '', limit + 1);
    return page(rows, limit, toUser, (r) => String(r.name));
  }

  async insertRole(x: RoleRecord): Promise<void> {
    this.run(
      `INSERT INTO roles (account_id, name, role_id, path, arn, trust_policy, description, max_session_duration, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      x.accountId, x.name, x.roleId, x.path, x.arn, x.trustPolicy, x.description, x.maxSessionDurationSeconds, x.createdAt.getTime(),
    );
  }
  async getRole(accountId: string, name: string): Promise<RoleRecord | undefined> {
    const r = this.get('SELECT * FROM roles WHERE account_id = ? AND name = ?', accountId, name);
    return r && toRole(r);
  }
  async deleteRole(accountId: string, name: string): Promise<void> {
    this.run('DELETE FROM roles WHERE account_id = ? AND name = ?', accountId, name);
  }
  async listRoles(accountId: string, after: string | undefined, limit: number): Promise<Page<RoleRecord>> {
    const rows = this.all('SELECT * FROM roles WHERE account_id = ? AND name > ? ORDER BY name LIMIT ?', accountId, after ?? '', limit + 1);
    return page(rows, limit, toRole, (r) => String(r.name));
  }
  async setRoleTrustPolicy(accountId: string, name: string, document: string): Promise<void> {
    this.run('UPDATE roles SET trust_policy = ? WHERE account_id = ? AND name = ?', document, accountId, name);
  }

  async putInlinePolicy(p: InlinePolicyRecord): Promise<void> {
    this.run(
      `INSERT INTO inline_policies (account_id, owner_kind, owner_name, policy_name, document) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(account_id, owner_kind, owner_name, policy_name) DO UPDATE SET document = excluded.document`,
      p.owner.accountId, p.owner.kind, p.owner.name, p.policyName, p.document,
    );
  }
  async getInlinePolicy(owner: PolicyOwner, policyName: string): Promise<InlinePolicyRecord | undefined> {
    const r = this.get('SELECT * FROM inline_policies WHERE account_id = ? AND owner_kind = ? AND owner_name = ? AND policy_name = ?',
      owner.accountId, owner.kind, owner.name, policyName);
    return r && toInlinePolicy(r);
  }
  async deleteInlinePolicy(owner: PolicyOwner, policyName: string): Promise<void> {
    this.run('DELETE FROM inline_policies WHERE account_id = ? AND owner_kind = ? AND owner_name = ? AND policy_name = ?',
      owner.accountId, owner.kind, owner.name, policyName);
  }
  async listInlinePolicies(owner: PolicyOwner): Promise<readonly InlinePolicyRecord[]> {
    return this.all('SELECT * FROM inline_policies WHERE account_id = ? AND owner_kind = ? AND owner_name = ? ORDER BY policy_name',
      owner.accountId, owner.kind, owner.name).map(toInlinePolicy);
  }

  async insertSession(x: SessionRecord): Promise<void> {
    this.run(
      `INSERT INTO sessions (access_key_id, account_id, role_arn, session_name, session_arn, wrapped_secret, token_hash,
         session_policy, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      x.accessKeyId, x.accountId, x.roleArn, x.sessionName, x.sessionArn, x.wrappedSecret, x.tokenHash, x.sessionPolicy,
      x.issuedAt.getTime(), x.expiresAt.getTime(),
    );
  }
  async getSession(accessKeyId: string): Promise<SessionRecord | undefined> {
    const r = this.get('SELECT * FROM sessions WHERE access_key_id = ?', accessKeyId);
    return r && toSession(r);
  }
  async deleteExpiredSessions(now: Date): Promise<number> {
    return this.run('DELETE FROM sessions WHERE expires_at < ?', now.getTime());
  }

  async insertGrant(g: GrantRecord): Promise<void> {
    this.run(
      `INSERT INTO grants (grant_id, key_id, name, grantee_principal, retiring_principal, operations, constraints, issuing_account, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      g.grantId, g.keyId, g.name, g.granteePrincipal, g.retiringPrincipal, JSON.stringify(g.operations), g.constraints,
      g.issuingAccount, g.createdAt.getTime(),
    );
  }
  async getGrant(grantId: string): Promise<GrantRecord | undefined> {
    const r = this.get('SELECT * FROM grants WHERE grant_id = ?', grantId);
    return r && toGrant(r);
  }
  async getGrantByName(keyId: string, name: string): Promise<GrantRecord | undefined> {
    const r = this.get('SELECT * FROM grants WHERE key_id = ? AND name = ?', keyId, name);
    return r && toGrant(r);
  }
  async deleteGrant(grantId: string): Promise<void> {
    this.run('DELETE FROM grants WHERE grant_id = ?', grantId);
  }
  async listGrants(keyId: string, after: string | undefined, limit: number): Promise<Page<GrantRecord>> {
    const rows = this.all('SELECT * FROM grants WHERE key_id = ? AND grant_id > ? ORDER BY grant_id LIMIT ?', keyId, after ?? '', limit + 1);
    return page(rows, limit, toGrant, (r) => String(r.grant_id));
  }
  async listRetirableGrants(retiringPrincipal: string, after: string | undefined, limit: number): Promise<Page<GrantRecord>> {
    const rows = this.all('SELECT * FROM grants WHERE retiring_principal = ? AND grant_id > ? ORDER BY grant_id LIMIT ?',
      retiringPrincipal, after ?? '', limit + 1);
    return page(rows, limit, toGrant, (r) => String(r.grant_id));
  }
}

// StoreTx on PostgreSQL, the identity half: IAM users, roles, inline policies, STS sessions, grants.
// User, role and policy-owner names match without regard to case through lower() (see migrations.ts).
import type { GrantRecord, InlinePolicyRecord, PolicyOwner, RoleRecord, SessionRecord, UserRecord } from '../identity-records.js';
import type { Page } from '../store.js';
import { toGrant, toInlinePolicy, toRole, toSession, toUser } from '../sqlite/identity-rows.js';
import { page } from '../sqlite/sqlite-statements.js';
import { PgStatements } from './pg-statements.js';

const OWNER = 'account_id = $1 AND owner_kind = $2 AND lower(owner_name) = lower($3)';

export class PgIdentityTx extends PgStatements {
  async insertUser(u: UserRecord): Promise<void> {
    await this.run('INSERT INTO users (account_id, name, user_id, path, arn, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      u.accountId, u.name, u.userId, u.path, u.arn, u.createdAt.getTime());
  }
  async getUser(accountId: string, name: string): Promise<UserRecord | undefined> {
    const r = await this.get('SELECT * FROM users WHERE account_id = $1 AND lower(name) = lower($2)', accountId, name);
    return r && toUser(r);
  }
  async deleteUser(accountId: string, name: string): Promise<void> {
    await this.run('DELETE FROM users WHERE account_id = $1 AND lower(name) = lower($2)', accountId, name);
  }
  async listUsers(accountId: string, after: string | undefined, limit: number): Promise<Page<UserRecord>> {
    const rows = await this.all('SELECT * FROM users WHERE account_id = $1 AND lower(name) > lower($2) ORDER BY lower(name) LIMIT $3',
      accountId, after ?? '', limit + 1);
    return page(rows, limit, toUser, (r) => String(r.name));
  }

  async insertRole(x: RoleRecord): Promise<void> {
    await this.run(
      `INSERT INTO roles (account_id, name, role_id, path, arn, trust_policy, description, max_session_duration, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      x.accountId, x.name, x.roleId, x.path, x.arn, x.trustPolicy, x.description, x.maxSessionDurationSeconds, x.createdAt.getTime(),
    );
  }
  async getRole(accountId: string, name: string): Promise<RoleRecord | undefined> {
    const r = await this.get('SELECT * FROM roles WHERE account_id = $1 AND lower(name) = lower($2)', accountId, name);
    return r && toRole(r);
  }
  async deleteRole(accountId: string, name: string): Promise<void> {
    await this.run('DELETE FROM roles WHERE account_id = $1 AND lower(name) = lower($2)', accountId, name);
  }
  async listRoles(accountId: string, after: string | undefined, limit: number): Promise<Page<RoleRecord>> {
    const rows = await this.all('SELECT * FROM roles WHERE account_id = $1 AND lower(name) > lower($2) ORDER BY lower(name) LIMIT $3',
      accountId, after ?? '', limit + 1);
    return page(rows, limit, toRole, (r) => String(r.name));
  }
  async setRoleTrustPolicy(accountId: string, name: string, document: string): Promise<void> {
    await this.run('UPDATE roles SET trust_policy = $3 WHERE account_id = $1 AND lower(name) = lower($2)', accountId, name, document);
  }

  async putInlinePolicy(p: InlinePolicyRecord): Promise<void> {
    await this.run(
      `INSERT INTO inline_policies (account_id, owner_kind, owner_name, policy_name, document) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (account_id, owner_kind, lower(owner_name), policy_name) DO UPDATE SET document = excluded.document`,
      p.owner.accountId, p.owner.kind, p.owner.name, p.policyName, p.document,
    );
  }
  async getInlinePolicy(owner: PolicyOwner, policyName: string): Promise<InlinePolicyRecord | undefined> {
    const r = await this.get(`SELECT * FROM inline_policies WHERE ${OWNER} AND policy_name = $4`, owner.accountId, owner.kind, owner.name, policyName);
    return r && toInlinePolicy(r);
  }
  async deleteInlinePolicy(owner: PolicyOwner, policyName: string): Promise<void> {
    await this.run(`DELETE FROM inline_policies WHERE ${OWNER} AND policy_name = $4`, owner.accountId, owner.kind, owner.name, policyName);
  }
  async listInlinePolicies(owner: PolicyOwner): Promise<readonly InlinePolicyRecord[]> {
    return (await this.all(`SELECT * FROM inline_policies WHERE ${OWNER} ORDER BY policy_name`, owner.accountId, owner.kind, owner.name))
      .map(toInlinePolicy);
  }

  async insertSession(x: SessionRecord): Promise<void> {
    await this.run(
      `INSERT INTO sessions (access_key_id, account_id, role_arn, session_name, session_arn, wrapped_secret, token_hash,
         session_policy, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      x.accessKeyId, x.accountId, x.roleArn, x.sessionName, x.sessionArn, x.wrappedSecret, x.tokenHash, x.sessionPolicy,
      x.issuedAt.getTime(), x.expiresAt.getTime(),
    );
  }
  async getSession(accessKeyId: string): Promise<SessionRecord | undefined> {
    const r = await this.get('SELECT * FROM sessions WHERE access_key_id = $1', accessKeyId);
    return r && toSession(r);
  }
  async deleteExpiredSessions(now: Date): Promise<number> {
    return this.run('DELETE FROM sessions WHERE expires_at < $1', now.getTime());
  }

  async insertGrant(g: GrantRecord): Promise<void> {
    await this.run(
      `INSERT INTO grants (grant_id, key_id, name, grantee_principal, retiring_principal, operations, constraints, issuing_account, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      g.grantId, g.keyId, g.name, g.granteePrincipal, g.retiringPrincipal, JSON.stringify(g.operations), g.constraints,
      g.issuingAccount, g.createdAt.getTime(),
    );
  }
  async getGrant(grantId: string): Promise<GrantRecord | undefined> {
    const r = await this.get('SELECT * FROM grants WHERE grant_id = $1', grantId);
    return r && toGrant(r);
  }
  async getGrantByName(keyId: string, name: string): Promise<GrantRecord | undefined> {
    const r = await this.get('SELECT * FROM grants WHERE key_id = $1 AND name = $2', keyId, name);
    return r && toGrant(r);
  }
  async deleteGrant(grantId: string): Promise<void> {
    await this.run('DELETE FROM grants WHERE grant_id = $1', grantId);
  }
  async listGrants(keyId: string, after: string | undefined, limit: number): Promise<Page<GrantRecord>> {
    const rows = await this.all('SELECT * FROM grants WHERE key_id = $1 AND grant_id > $2 ORDER BY grant_id LIMIT $3', keyId, after ?? '', limit + 1);
    return page(rows, limit, toGrant, (r) => String(r.grant_id));
  }
  async listRetirableGrants(retiringPrincipal: string, after: string | undefined, limit: number): Promise<Page<GrantRecord>> {
    const rows = await this.all('SELECT * FROM grants WHERE retiring_principal = $1 AND grant_id > $2 ORDER BY grant_id LIMIT $3',
      retiringPrincipal, after ?? '', limit + 1);
    return page(rows, limit, toGrant, (r) => String(r.grant_id));
  }
}

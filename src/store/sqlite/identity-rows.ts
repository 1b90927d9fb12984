// Row <-> record mapping for identities and grants in the SQLite store.
import type { GrantRecord, InlinePolicyRecord, RoleRecord, SessionRecord, UserRecord } from '../identity-records.js';
import type { Row } from './rows.js';

const date = (v: unknown): Date => new Date(Number(v));
const text = (v: unknown): string => v as string;
const optText = (v: unknown): string | null => (v === null ? null : (v as string));

export const toUser = (r: Row): UserRecord => ({
  accountId: text(r.account_id), name: text(r.name), userId: text(r.user_id), path: text(r.path), arn: text(r.arn), createdAt: date(r.created_at),
});

export const toRole = (r: Row): RoleRecord => ({
  accountId: text(r.account_id), name: text(r.name), roleId: text(r.role_id), path: text(r.path), arn: text(r.arn),
  trustPolicy: text(r.trust_policy), description: text(r.description), maxSessionDurationSeconds: Number(r.max_session_duration),
  createdAt: date(r.created_at),
});

export const toInlinePolicy = (r: Row): InlinePolicyRecord => ({
  owner: { kind: r.owner_kind === 'role' ? 'role' : 'user', accountId: text(r.account_id), name: text(r.owner_name) },
  policyName: text(r.policy_name),
  document: text(r.document),
});

export const toSession = (r: Row): SessionRecord => ({
  accessKeyId: text(r.access_key_id), accountId: text(r.account_id), roleArn: text(r.role_arn), sessionName: text(r.session_name),
  sessionArn: text(r.session_arn), wrappedSecret: r.wrapped_secret as Buffer, tokenHash: text(r.token_hash),
  sessionPolicy: optText(r.session_policy), issuedAt: date(r.issued_at), expiresAt: date(r.expires_at),
});

export const toGrant = (r: Row): GrantRecord => ({
  grantId: text(r.grant_id), keyId: text(r.key_id), name: optText(r.name), granteePrincipal: text(r.grantee_principal),
  retiringPrincipal: optText(r.retiring_principal), operations: JSON.parse(text(r.operations)) as string[],
  constraints: optText(r.constraints), issuingAccount: text(r.issuing_account), createdAt: date(r.created_at),
});

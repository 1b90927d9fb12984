// Stored identities and grants (issue 3): IAM users and roles with inline policies, STS sessions,
// and grants on keys. Secrets are only ever stored wrapped (secret keys) or hashed (tokens).

export interface UserRecord {
  readonly accountId: string;
  readonly name: string;
  readonly userId: string;
  readonly path: string;
  readonly arn: string;
  readonly createdAt: Date;
}

export interface RoleRecord {
  readonly accountId: string;
  readonly name: string;
  readonly roleId: string;
  readonly path: string;
  readonly arn: string;
  readonly trustPolicy: string;
  readonly description: string;
  readonly maxSessionDurationSeconds: number;
  readonly createdAt: Date;
}

/** Whose inline policy: an IAM user or role of an account. */
export interface PolicyOwner {
  readonly kind: 'user' | 'role';
  readonly accountId: string;
  readonly name: string;
}

export interface InlinePolicyRecord {
  readonly owner: PolicyOwner;
  readonly policyName: string;
  readonly document: string;
}

/** Temporary credentials from AssumeRole: the secret wrapped under the root key, the session
 *  token only as its SHA-256 (it is random and long, so a hash is enough to recognise it). */
export interface SessionRecord {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly roleArn: string;
  readonly sessionName: string;
  readonly sessionArn: string;
  readonly wrappedSecret: Buffer;
  readonly tokenHash: string;
  readonly sessionPolicy: string | null;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

export interface GrantRecord {
  readonly grantId: string;
  readonly keyId: string;
  readonly name: string | null;
  readonly granteePrincipal: string;
  readonly retiringPrincipal: string | null;
  readonly operations: readonly string[];
  /** JSON of GrantConstraints, or null. */
  readonly constraints: string | null;
  readonly issuingAccount: string;
  readonly createdAt: Date;
}

// Who may create grants through a grant, and who may retire a grant: the two grant rules that the
// pipeline's authorisation (key policy, IAM policies, grants) does not decide by itself.
import { accountRootArn, type Principal } from '../../auth/principal.js';
import { requestContext } from '../../auth/request-context.js';
import { fail } from '../../core/errors.js';
import { accessDeniedMessage, decideIdentityAccess } from '../../policy/evaluate.js';
import { constraintsAtLeastAsStrict, type GrantConstraints, type GrantOperation, type GrantRule } from '../../policy/grants.js';
import type { GrantRecord } from '../../store/identity-records.js';
import { keyAccess, type KeyRequestFacts } from '../authorize.js';
import type { CachedKey } from '../key-cache.js';

export interface ChildGrant {
  readonly operations: readonly GrantOperation[];
  readonly constraints: GrantConstraints | undefined;
}

/** CreateGrant, once the pipeline allowed it. "When a grantee principal gets permission to call
 *  CreateGrant from a grant, rather than from a policy, that permission is limited": "only grants
 *  that allow some or all of the operations in the parent grant", whose constraints "must be at
 *  least as strict" (Developer Guide, Granting CreateGrant permission). Security contract: unless
 *  the key policy and IAM policies alone allow the request, one grant held by the caller must allow
 *  CreateGrant and cover the whole child grant; otherwise AccessDeniedException (fail closed). */
export function requireCreateGrantAuthority(key: CachedKey, facts: KeyRequestFacts, child: ChildGrant): void {
  const { principal } = facts;
  const { decision: byPolicy, ctx } = keyAccess(key, facts, false);
  if (byPolicy.decision === 'Allow') return;
  if (key.grants().some((parent) => coversChild(parent, principal, child))) return;
  fail('AccessDeniedException', `${accessDeniedMessage(ctx, 'no-allow')}; a grant allows kms:CreateGrant only for grants with some of its operations and constraints at least as strict`);
}

/** Whether `parent` is the caller's grant with CreateGrant whose operations and constraints
 *  contain `child`'s. */
export function coversChild(parent: GrantRule, principal: Pick<Principal, 'arn' | 'roleArn'>, child: ChildGrant): boolean {
  const isGrantee = parent.granteePrincipal === principal.arn || parent.granteePrincipal === principal.roleArn;
  return isGrantee
    && parent.operations.includes('CreateGrant')
    && child.operations.every((op) => parent.operations.includes(op))
    && constraintsAtLeastAsStrict(parent.constraints, child.constraints);
}

/** RetireGrant. "A grant can be retired by … the retiring principal … the grantee principal, if
 *  the grant includes the RetireGrant operation … the AWS account in which the grant was created",
 *  and "The kms:RetireGrant permission alone does not allow principals to retire a grant. … To deny
 *  permission to retire a grant, you can use a Deny action with the kms:RetireGrant permission in
 *  your IAM policies. The AWS account that owns the KMS key can delegate the kms:RetireGrant
 *  permission to an IAM principal in the account. If the retiring principal is a different AWS
 *  account, administrators in the other account can use kms:RetireGrant to delegate permission"
 *  (Developer Guide, Retiring and revoking grants). The key policy plays no part. */
export function requireRetireAuthority(grant: GrantRecord, keyArn: string, facts: Omit<KeyRequestFacts, 'action'>): void {
  const { principal } = facts;
  const ctx = requestContext({ ...facts, action: 'kms:RetireGrant', resource: keyArn });
  const identity = decideIdentityAccess({ identityPolicies: principal.identityPolicies, sessionPolicy: principal.sessionPolicy, ctx });
  if (identity.decision === 'Deny' && identity.reason === 'explicit-deny') {
    fail('AccessDeniedException', accessDeniedMessage(ctx, 'explicit-deny', identity.source));
  }
  if (retireAllowed(grant, principal, identity.decision === 'Allow')) return;
  fail('AccessDeniedException', accessDeniedMessage(ctx, 'no-allow', 'identity-based'));
}

/** The rule above without the explicit-deny check: `identityAllows` is whether the caller's IAM
 *  policies allow kms:RetireGrant (always so for an account root). The grant was created in its
 *  key's account (`issuingAccount`). */
export function retireAllowed(grant: GrantRecord, principal: Pick<Principal, 'arn' | 'roleArn' | 'accountId'>, identityAllows: boolean): boolean {
  const is = (arn: string | null): boolean => arn !== null && (arn === principal.arn || arn === principal.roleArn);
  if (is(grant.retiringPrincipal)) return true;
  if (is(grant.granteePrincipal) && grant.operations.includes('RetireGrant')) return true;
  const delegatingAccount = principal.accountId === grant.issuingAccount || grant.retiringPrincipal === accountRootArn(principal.accountId);
  return delegatingAccount && identityAllows;
}

// Authorisation of a request, with AWS's rules (policy/evaluate.ts): on a key, the key policy, the
// caller's identity and session policies and the key's grants (decideKmsAccess); for an action
// that names no key (CreateKey, ListKeys…), the caller's identity and session policies alone.
// The keyhold administrator is its account's root here: "no AWS principal, including the account
// root user, has any permissions to a KMS key unless they are explicitly allowed … in a key
// policy" (AWS KMS guide).
import type { Principal } from '../auth/principal.js';
import { requestContext, type Origin, type RequestFacts } from '../auth/request-context.js';
import { fail } from '../core/errors.js';
import { accessDeniedMessage, decideIdentityAccess, decideKmsAccess, type KmsAccessDecision } from '../policy/evaluate.js';
import { grantAllows, grantOperations, type GrantOperation } from '../policy/grants.js';
import type { RequestContext } from '../policy/types.js';
import type { CachedKey } from './key-cache.js';

export type KeyRequestFacts = Omit<RequestFacts, 'key' | 'resource'>;

export function authorize(key: CachedKey, facts: KeyRequestFacts): void {
  const { decision, ctx } = keyAccess(key, facts, grantsAllow(key, facts));
  refuseDenied(decision, ctx);
}

/** The decision on `key` for the request, with `grantAllows` standing for the key's grants (false
 *  asks what the policies alone allow), and the context it was made in. */
export function keyAccess(key: CachedKey, facts: KeyRequestFacts, grantAllows: boolean): { decision: KmsAccessDecision; ctx: RequestContext } {
  const ctx = requestContext({ ...facts, key, resource: key.record.arn });
  const { principal } = facts;
  const decision = decideKmsAccess({
    keyPolicy: key.policy(),
    keyAccount: key.record.accountId,
    identityPolicies: principal.identityPolicies,
    sessionPolicy: principal.sessionPolicy,
    grantAllows,
    ctx,
  });
  return { decision, ctx };
}

/** An action on the caller's own account with no resource policy: IAM, STS and KMS's keyless
 *  operations. `resource` is the ARN acted on, or `*`. */
export function authorizeIdentity(principal: Principal, action: string, resource: string, now: Date, origin: Origin | undefined, extra?: RequestFacts['extra']): void {
  const ctx = requestContext({ principal, action, resource, now, origin, extra });
  refuseDenied(decideIdentityAccess({ identityPolicies: principal.identityPolicies, sessionPolicy: principal.sessionPolicy, ctx }), ctx);
}

function refuseDenied(decision: KmsAccessDecision, ctx: RequestContext): void {
  if (decision.decision === 'Deny') fail('AccessDeniedException', accessDeniedMessage(ctx, decision.reason === 'allowed' ? 'no-allow' : decision.reason, decision.source));
}

const GRANT_OPERATIONS: ReadonlySet<string> = new Set(grantOperations);

function grantsAllow(key: CachedKey, facts: KeyRequestFacts): boolean {
  const grants = key.grants();
  if (grants.length === 0) return false;
  const operation = facts.action.slice('kms:'.length);
  if (!GRANT_OPERATIONS.has(operation)) return false;
  const request = {
    principalArn: facts.principal.arn,
    roleArn: facts.principal.roleArn,
    operation: operation as GrantOperation,
    encryptionContext: facts.encryptionContext,
  };
  return grants.some((grant) => grantAllows(grant, request));
}

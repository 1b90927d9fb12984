// Authorisation of a principal for an action on a key: the key policy, evaluated with AWS's rules
// (policy/evaluate.ts). Principals today are account roots, whose identity permissions are
// implicit; IAM users, roles, sessions and grants join in issue 3. The keyhold administrator is
// its account's root here: "no AWS principal, including the account root user, has any
// permissions to a KMS key unless they are explicitly allowed … in a key policy" (AWS KMS guide).
import { fail } from '../core/errors.js';
import { accessDeniedMessage, decideKmsAccess } from '../policy/evaluate.js';
import type { CachedKey } from './key-cache.js';
import { requestContext, type RequestFacts } from './request-context.js';

export function authorize(key: CachedKey, facts: Omit<RequestFacts, 'key'>): void {
  const ctx = requestContext({ ...facts, key: key.record });
  const decision = decideKmsAccess({ keyPolicy: key.policy(), keyAccount: key.record.accountId, identityPolicies: [], grantAllows: false, ctx });
  if (decision.decision === 'Deny') fail('AccessDeniedException', accessDeniedMessage(ctx, decision.reason === 'allowed' ? 'no-allow' : decision.reason, decision.source));
}

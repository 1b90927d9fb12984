// Checks on the policy documents IAM stores: IAM's size quotas (LimitExceeded) and the policy
// grammar (MalformedPolicyDocument, thrown by parsePolicy).
import { parsePolicy } from '../policy/document.js';
import { queryFail } from '../server/query/action.js';
import type { InlinePolicyRecord } from '../store/identity-records.js';

/** IAM and AWS STS quotas (IAM User Guide): "the total aggregate policy size (the sum size of all
 *  inline policies) per entity cannot exceed … User policy size … 2,048 characters. Role policy
 *  size … 10,240 characters"; "Role trust policy length: 2,048 characters". The names are those
 *  of AWS's LimitExceeded messages. */
const QUOTAS = {
  user: { name: 'UserPolicySize', limit: 2048 },
  role: { name: 'RolePolicySize', limit: 10240 },
  trust: { name: 'ACLSizePerRole', limit: 2048 },
} as const;

/** "IAM does not count white space when calculating the size of a policy against these quotas." */
export function policySize(document: string): number {
  return document.replace(/\s/g, '').length;
}

/** Validates an inline policy put on a user or role whose other inline policies are `others`
 *  (the one being replaced left out): all of them together must fit the entity's quota. */
export function checkInlinePolicy(kind: 'user' | 'role', document: string, others: readonly InlinePolicyRecord[]): void {
  const total = others.reduce((sum, p) => sum + policySize(p.document), policySize(document));
  refuseOver(QUOTAS[kind], total);
  parsePolicy(document, 'identity');
}

/** Validates a role's trust policy (AssumeRolePolicyDocument). */
export function checkTrustPolicy(document: string): void {
  refuseOver(QUOTAS.trust, policySize(document));
  parsePolicy(document, 'trust');
}

// Size is checked before grammar: parsePolicy has its own, larger cap (32 KiB, KMS's), and a
// document over IAM's quota should be told so rather than be called malformed.
function refuseOver(quota: { readonly name: string; readonly limit: number }, size: number): void {
  if (size > quota.limit) queryFail('LimitExceeded', `Cannot exceed quota for ${quota.name}: ${quota.limit}`);
}

// Decisions: one document for one request (evaluatePolicy), and AWS KMS's combination of key
// policy, identity policies, session policy and grants (decideKmsAccess). Pure.
import { evaluateConditions } from './conditions.js';
import { actionMatches, notPrincipalExempts, principalMatch, resourceMatches, type PrincipalMatch } from './match.js';
import type { PolicyDocument, RequestContext, Statement } from './types.js';

export interface PolicyResult {
  /** The strongest applicable Allow: 'direct' (names the caller, or the document has no
   *  Principal because it is attached to the caller), 'account' (names the caller's account). */
  readonly allowed: 'direct' | 'account' | false;
  /** Some applicable statement is a Deny. */
  readonly denied: boolean;
}

export type DenyReason = 'explicit-deny' | 'no-allow';
/** Which kind of policy an AccessDenied message blames, in AWS's wording. */
export type PolicySource = 'resource-based' | 'identity-based' | 'session';

export interface KmsAccessInput {
  readonly keyPolicy: PolicyDocument;
  readonly keyAccount: string;
  readonly identityPolicies: readonly PolicyDocument[];
  readonly sessionPolicy?: PolicyDocument | undefined;
  readonly grantAllows: boolean;
  readonly ctx: RequestContext;
}

export interface KmsAccessDecision {
  readonly decision: 'Allow' | 'Deny';
  readonly reason: DenyReason | 'allowed';
  /** For a Deny, the policy type to name in the message (accessDeniedMessage). */
  readonly source: PolicySource;
}

interface Detailed {
  readonly allowed: PrincipalMatch | false;
  readonly denied: boolean;
}

const RANK: Record<PrincipalMatch, number> = { account: 1, direct: 2, session: 3 };

/** Whether a statement applies to the request, and how strongly its principal names the caller.
 *  A statement without Principal/NotPrincipal belongs to a policy attached to the caller. */
function applies(st: Statement, ctx: RequestContext): PrincipalMatch | false {
  let match: PrincipalMatch | false = 'direct';
  if (st.principal !== undefined) match = principalMatch(st.principal, ctx);
  else if (st.notPrincipal !== undefined && notPrincipalExempts(st.notPrincipal, ctx)) match = false;
  if (match === false) return false;
  if (st.action !== undefined && !actionMatches(st.action, ctx.action)) return false;
  if (st.notAction !== undefined && actionMatches(st.notAction, ctx.action)) return false;
  if (st.resource !== undefined && !resourceMatches(st.resource, ctx.resource)) return false;
  if (st.notResource !== undefined && resourceMatches(st.notResource, ctx.resource)) return false;
  if (st.conditions.length > 0 && !evaluateConditions(st.conditions, ctx.values)) return false;
  return match;
}

function evaluateDetailed(doc: PolicyDocument, ctx: RequestContext): Detailed {
  let allowed: PrincipalMatch | false = false;
  let denied = false;
  for (const st of doc.statements) {
    const match = applies(st, ctx);
    if (match === false) continue;
    // "If policies that apply to a request include an Allow statement and a Deny statement, the
    // Deny statement trumps the Allow statement" (IAM: The difference between explicit and implicit
    // denies). A Deny naming the caller's account applies to every principal of that account.
    if (st.effect === 'Deny') denied = true;
    else if (allowed === false || RANK[match] > RANK[allowed]) allowed = match;
  }
  return { allowed, denied };
}

/** One document's verdict for one request. Security contract: `denied` is true whenever any
 *  applicable statement denies, whatever else allows; 'account' is never reported as 'direct'. */
export function evaluatePolicy(doc: PolicyDocument, ctx: RequestContext): PolicyResult {
  const { allowed, denied } = evaluateDetailed(doc, ctx);
  return { allowed: allowed === 'session' ? 'direct' : allowed, denied };
}

const rootArnOf = (account: string): string => `arn:aws:iam::${account}:root`;

/** AWS KMS's authorization of one request. Security contract, from the KMS Developer Guide:
 *  - "No AWS principal, including the account root user or key creator, has any permissions to a
 *    KMS key unless they are explicitly allowed, and never denied, in a key policy, IAM policy, or
 *    grant" (Key policies in AWS KMS): any explicit Deny refuses, grants included — and "You can
 *    use an IAM policy to deny a permission to a KMS key without permission from a key policy".
 *  - "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to a
 *    KMS key" (ibid.): an identity-policy allow counts only where the key policy allows the
 *    caller's account ('account') or the caller.
 *  - Cross-account: "Cross-account access requires permission in the key policy of the KMS key and
 *    in an IAM policy in the external user's account" (Allowing users in other accounts to use a
 *    KMS key); a grant may name "a KMS key in a different AWS account" (Grants in AWS KMS) and
 *    authorises its grantee on its own.
 *  - Session policies (IAM User Guide, Session policies): a resource-based policy naming the user
 *    or role adds to the identity-based policy "before the session is created. The session policy
 *    limits the total permissions granted by the resource-based policy and the identity-based
 *    policy", while a resource-based policy naming the session's own ARN is not limited by it.
 *  - The root user: "all requests are implicitly denied with the exception of the AWS account
 *    root user, which has full access" (IAM policy evaluation logic), so the root user has
 *    implicit identity permission and a key policy 'account' allow suffices for it. */
export function decideKmsAccess(input: KmsAccessInput): KmsAccessDecision {
  const { ctx } = input;
  const key = evaluateDetailed(input.keyPolicy, ctx);
  const identities = input.identityPolicies.map((doc) => evaluateDetailed(doc, ctx));
  const session = input.sessionPolicy === undefined ? undefined : evaluateDetailed(input.sessionPolicy, ctx);

  /* Explicit deny anywhere wins. */
  if (key.denied) return deny('explicit-deny', 'resource-based');
  if (identities.some((r) => r.denied)) return deny('explicit-deny', 'identity-based');
  if (session?.denied === true) return deny('explicit-deny', 'session');

  if (input.grantAllows) return allow();

  const isRoot = ctx.principalArn === rootArnOf(ctx.principalAccount);
  const identityAllows = isRoot || identities.some((r) => r.allowed !== false);
  const sessionAllows = session === undefined || session.allowed !== false;
  const sameAccount = ctx.principalAccount === input.keyAccount;

  if (key.allowed === false) return deny('no-allow', 'resource-based');
  if (sameAccount) {
    if (key.allowed === 'session') return allow();
    if (key.allowed === 'direct') return sessionAllows ? allow() : deny('no-allow', 'session');
  }
  // 'account' delegation in the key's account, or any key-policy allow across accounts:
  // the caller's own IAM policies must allow too, and the session policy must allow.
  if (!identityAllows) return deny('no-allow', 'identity-based');
  if (!sessionAllows) return deny('no-allow', 'session');
  return allow();
}

export interface IdentityAccessInput {
  readonly identityPolicies: readonly PolicyDocument[];
  readonly sessionPolicy?: PolicyDocument | undefined;
  readonly ctx: RequestContext;
}

/** Authorization of an action on a resource of the caller's own account that has no resource
 *  policy (IAM users and roles, CreateKey, ListKeys…): "all requests are implicitly denied with the
 *  exception of the AWS account root user, which has full access" (IAM policy evaluation logic);
 *  anyone else needs an identity-policy allow, no deny, and the session policy's allow. */
export function decideIdentityAccess(input: IdentityAccessInput): KmsAccessDecision {
  const { ctx } = input;
  const identities = input.identityPolicies.map((doc) => evaluateDetailed(doc, ctx));
  const session = input.sessionPolicy === undefined ? undefined : evaluateDetailed(input.sessionPolicy, ctx);
  if (identities.some((r) => r.denied)) return deny('explicit-deny', 'identity-based');
  if (session?.denied === true) return deny('explicit-deny', 'session');
  const isRoot = ctx.principalArn === rootArnOf(ctx.principalAccount);
  if (!isRoot && !identities.some((r) => r.allowed !== false)) return deny('no-allow', 'identity-based');
  if (session !== undefined && session.allowed === false) return deny('no-allow', 'session');
  return allow();
}

function allow(): KmsAccessDecision {
  return { decision: 'Allow', reason: 'allowed', source: 'resource-based' };
}

function deny(reason: DenyReason, source: PolicySource): KmsAccessDecision {
  return { decision: 'Deny', reason, source };
}

/** The lockout safety check: "the key policy must allow the principal that is making the
 *  PutKeyPolicy request to make a subsequent PutKeyPolicy request on the KMS key" (API reference,
 *  PutKeyPolicy). True when this key policy alone — directly or by delegating to the caller's
 *  account — would not allow the caller kms:PutKeyPolicy, or would deny it. */
export function wouldLockOut(doc: PolicyDocument, ctx: RequestContext): boolean {
  // Not `{ ...ctx }`: a context's condition values may be a lazy getter, which a spread drops.
  const asked: RequestContext = {
    principalArn: ctx.principalArn, principalAccount: ctx.principalAccount, roleArn: ctx.roleArn, resource: ctx.resource,
    action: 'kms:PutKeyPolicy',
    get values() {
      return ctx.values;
    },
  };
  const result = evaluateDetailed(doc, asked);
  return result.denied || result.allowed === false;
}

/** AWS's access-denied text: "User user is not authorized to perform action on resource because
 *  context", where context is "with an explicit deny in a type policy" or "because no type policy
 *  allows the action action" (IAM User Guide, Troubleshooting access denied error messages). */
export function accessDeniedMessage(ctx: RequestContext, reason: DenyReason, source: PolicySource = 'resource-based'): string {
  const head = `User: ${ctx.principalArn} is not authorized to perform: ${ctx.action} on resource: ${ctx.resource}`;
  if (reason === 'explicit-deny') return `${head} with an explicit deny in ${source === 'identity-based' ? 'an' : 'a'} ${source} policy`;
  return `${head} because no ${source} policy allows the ${ctx.action} action`;
}

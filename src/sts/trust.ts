// Who may assume a role: the role's trust policy is the resource policy, the caller's own
// identity (and session) policies the identity side, combined by AWS's rules (policy/evaluate.ts).
import type { Principal } from '../auth/principal.js';
import { requestContext, type Origin } from '../auth/request-context.js';
import { parsePolicy } from '../policy/document.js';
import { decideKmsAccess } from '../policy/evaluate.js';
import type { ConditionValue, PolicyDocument } from '../policy/types.js';
import { queryFail } from '../server/query/action.js';
import type { RoleRecord } from '../store/identity-records.js';
import type { StoreTx } from '../store/store.js';

export interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly principal: Principal;
  readonly now: Date;
  readonly origin: Origin;
  /** The request's own condition keys (sts:externalid, sts:rolesessionname), lower-cased. */
  readonly extra: Readonly<Record<string, ConditionValue>>;
}

/** A role of the aws partition: `arn:aws:iam::<account>:role/<path><name>`. */
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7E]*\/)?([\w+=,.@-]{1,64})$/;

/** The role `request.roleArn` names, when its caller may assume it now.
 *  Security contract: every refusal — no such role, a role of a disabled or unknown account, a
 *  trust policy that does not parse or does not allow, a Deny in any policy, an identity policy
 *  missing where one is needed — is the same AccessDenied with the same message, so a caller
 *  learns nothing about a role it may not assume. Where an identity policy is needed follows the
 *  IAM User Guide (policy evaluation logic; cross-account policy evaluation): in the role's own
 *  account a trust policy naming the caller suffices, one naming only the account needs the
 *  caller's identity policy to allow sts:AssumeRole too; across accounts both are always needed
 *  (an account root has implicit identity permission). */
export async function trustingRole(tx: StoreTx, request: AssumeRoleRequest): Promise<RoleRecord> {
  const role = await findRole(tx, request.roleArn);
  const trust = role === undefined ? undefined : parseTrustPolicy(role.trustPolicy);
  if (role === undefined || trust === undefined) denied(request);
  const { principal } = request;
  const ctx = requestContext({ principal, action: 'sts:AssumeRole', resource: role.arn, now: request.now, origin: request.origin, extra: request.extra });
  const decision = decideKmsAccess({
    keyPolicy: trust,
    keyAccount: role.accountId,
    identityPolicies: principal.identityPolicies,
    sessionPolicy: principal.sessionPolicy,
    grantAllows: false,
    ctx,
  });
  if (decision.decision !== 'Allow') denied(request);
  return role;
}

async function findRole(tx: StoreTx, roleArn: string): Promise<RoleRecord | undefined> {
  const match = ROLE_ARN.exec(roleArn);
  if (match === null) return undefined;
  const [, accountId = '', name = ''] = match;
  if ((await tx.getAccount(accountId))?.status !== 'Active') return undefined;
  const role = await tx.getRole(accountId, name);
  // Role names are found without regard to case, but policies and sessions name the role by its
  // exact ARN (path included): a request must too.
  return role?.arn === roleArn ? role : undefined;
}

/** The stored trust policy, validated when it was put; one that no longer parses trusts nobody. */
function parseTrustPolicy(text: string): PolicyDocument | undefined {
  try {
    return parsePolicy(text, 'trust');
  } catch {
    return undefined;
  }
}

/** AWS's AssumeRole refusal names the caller, the action and the role ARN as asked, and no
 *  reason: the reason could tell whether the role exists. */
function denied(request: AssumeRoleRequest): never {
  queryFail('AccessDenied', `User: ${request.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${request.roleArn}`);
}

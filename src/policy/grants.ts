// Whether a grant authorises a request: grantee, operation and encryption-context constraints,
// as the AWS KMS API reference (GrantConstraints, CreateGrant) defines them.

export const grantOperations = [
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
  'Sign', 'Verify', 'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
] as const;
export type GrantOperation = (typeof grantOperations)[number];

type Context = Readonly<Record<string, string>>;

export interface GrantConstraints {
  readonly encryptionContextSubset?: Context;
  readonly encryptionContextEquals?: Context;
}

export interface GrantRule {
  readonly granteePrincipal: string;
  readonly operations: readonly GrantOperation[];
  readonly constraints: GrantConstraints | undefined;
}

export interface GrantRequest {
  readonly principalArn: string;
  /** For an assumed-role session, its role: a grant to the role covers its sessions. */
  readonly roleArn: string | undefined;
  readonly operation: GrantOperation;
  /** The request's encryption context; undefined for operations that take none. */
  readonly encryptionContext: Context | undefined;
}

/** "Grant constraints are not applied to operations that do not support an encryption context,
 *  such as … DescribeKey or RetireGrant" (API reference, GrantConstraints). CreateGrant is
 *  checked separately: a grant it creates must be at least as strict (see `constraintsAtLeastAsStrict`). */
const CONTEXT_OPERATIONS: ReadonlySet<GrantOperation> = new Set([
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
  'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
]);

export function grantAllows(grant: GrantRule, request: GrantRequest): boolean {
  const grantee = grant.granteePrincipal;
  if (grantee !== request.principalArn && grantee !== request.roleArn) return false;
  if (!grant.operations.includes(request.operation)) return false;
  if (!CONTEXT_OPERATIONS.has(request.operation) || grant.constraints === undefined) return true;
  return contextSatisfies(grant.constraints, request.encryptionContext ?? {});
}

/** "In a grant constraint, the key in each key-value pair is not case sensitive, but the value
 *  is case sensitive" (API reference, GrantConstraints). */
function contextSatisfies(constraints: GrantConstraints, context: Context): boolean {
  const request = lowerKeys(context);
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = constraints;
  if (equals !== undefined) {
    const wanted = lowerKeys(equals);
    if (wanted.size !== request.size) return false;
    for (const [k, v] of wanted) if (request.get(k) !== v) return false;
  }
  if (subset !== undefined) {
    for (const [k, v] of lowerKeys(subset)) if (request.get(k) !== v) return false;
  }
  return true;
}

/** A grant made through a grant's CreateGrant permission "must have an equally strict or
 *  stricter encryption context constraint" (API reference, GrantConstraints). */
export function constraintsAtLeastAsStrict(parent: GrantConstraints | undefined, child: GrantConstraints | undefined): boolean {
  if (parent === undefined) return true;
  if (child === undefined) return false;
  if (parent.encryptionContextEquals !== undefined) {
    // Only the same exact context is as strict as an exact context.
    return child.encryptionContextEquals !== undefined && sameContext(parent.encryptionContextEquals, child.encryptionContextEquals);
  }
  if (parent.encryptionContextSubset !== undefined) {
    // Every context the child admits must contain the parent's pairs.
    const required = parent.encryptionContextSubset;
    const childPairs = child.encryptionContextEquals ?? child.encryptionContextSubset;
    return childPairs !== undefined && contextSatisfies({ encryptionContextSubset: required }, childPairs);
  }
  return true;
}

function sameContext(a: Context, b: Context): boolean {
  return contextSatisfies({ encryptionContextEquals: a }, b);
}

const lowerKeys = (context: Context): Map<string, string> =>
  new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));

// The policy language as keyhold evaluates it: parsed documents and the request they judge.
// Pure data: parsing is in document.ts, conditions in conditions.ts, decisions in evaluate.ts.

export type Effect = 'Allow' | 'Deny';

/** Where a document is used decides what it may contain (AWS: key and trust policies need a
 *  Principal; identity and session policies must not have one). */
export type PolicyKind = 'key' | 'identity' | 'trust' | 'session';

/** A Principal or NotPrincipal element. `"*"` and `{"AWS":"*"}` both set `any`. */
export interface PrincipalSpec {
  readonly any: boolean;
  /** AWS account ids, account root ARNs, user, role and assumed-role session ARNs, as written. */
  readonly aws: readonly string[];
  /** Service principals such as `ec2.amazonaws.com`. */
  readonly service: readonly string[];
}

/** One `"Operator": { "key": values }` entry; the operator is kept as written
 *  (e.g. `ForAnyValue:StringLikeIfExists`), the key lower-cased (condition keys are case-insensitive). */
export interface ConditionClause {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid: string | undefined;
  readonly effect: Effect;
  readonly principal: PrincipalSpec | undefined;
  readonly notPrincipal: PrincipalSpec | undefined;
  /** Exactly one of action / notAction is set; patterns may hold `*` and `?`. */
  readonly action: readonly string[] | undefined;
  readonly notAction: readonly string[] | undefined;
  /** At most one of resource / notResource is set (key policies may omit both only if AWS would). */
  readonly resource: readonly string[] | undefined;
  readonly notResource: readonly string[] | undefined;
  /** All clauses must hold (AND across operators and keys; OR across one clause's values). */
  readonly conditions: readonly ConditionClause[];
}

export interface PolicyDocument {
  readonly version: '2012-10-17' | '2008-10-17';
  readonly id: string | undefined;
  readonly statements: readonly Statement[];
}

/** A condition key's value in a request: absent keys are simply not in the map. Single-valued
 *  keys hold one string; multivalued keys (kms:EncryptionContextKeys, aws:TagKeys) hold a list.
 *  Numbers, dates and booleans are carried as their string forms, as AWS compares them. */
export type ConditionValue = string | readonly string[];

/** A request's condition keys, looked up by lower-cased name; undefined for a key the request
 *  does not have. A Map is one; the server computes each value only when a policy asks for it. */
export interface ConditionValues {
  get(key: string): ConditionValue | undefined;
}

/** The request a policy is asked about. */
export interface RequestContext {
  /** The calling principal: for an assumed-role session, its session ARN
   *  (arn:aws:sts::<acct>:assumed-role/<role>/<session>). */
  readonly principalArn: string;
  readonly principalAccount: string;
  /** For an assumed-role session: the role's ARN (arn:aws:iam::<acct>:role/<path><name>). */
  readonly roleArn: string | undefined;
  /** `kms:Encrypt`, `sts:AssumeRole`, … */
  readonly action: string;
  /** The key ARN (or role ARN for sts:AssumeRole). */
  readonly resource: string;
  /** Condition keys, names lower-cased: `kms:encryptioncontext:tenant`, `aws:sourceip`, … */
  readonly values: ConditionValues;
}

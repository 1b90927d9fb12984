// The authenticated caller, carried in every request's context, with the policies that apply to
// it by who it is: an IAM user's or role's inline policies, and an assumed-role session's policy.
import type { PolicyDocument } from '../policy/types.js';

export interface Principal {
  readonly accountId: string;
  /** The account root's, the user's, or the assumed-role session's ARN. */
  readonly arn: string;
  readonly accessKeyId: string;
  readonly type: 'Root' | 'IAMUser' | 'AssumedRole';
  /** GetCallerIdentity's UserId: the account id for the root, the user id (AIDA…), or
   *  `<role id>:<session name>` for a session. */
  readonly userId: string;
  /** For an assumed-role session: the role's ARN, whose grants and policy statements cover it. */
  readonly roleArn?: string | undefined;
  /** The user's or role's inline policies, parsed (none for an account root). */
  readonly identityPolicies: readonly PolicyDocument[];
  /** The session policy passed to AssumeRole, if any: it narrows what the role allows. */
  readonly sessionPolicy?: PolicyDocument | undefined;
  /** When the temporary credentials were issued (aws:TokenIssueTime). */
  readonly tokenIssuedAt?: Date | undefined;
  /** The keyhold administrator: may manage accounts and integrated services. It is its account's root for everything else. */
  readonly isAdmin: boolean;
}

export const accountRootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

// Matching one statement's Action, Resource and Principal elements against a request, as the
// IAM JSON policy element reference defines them. Pure; patterns are compiled once into a bounded cache.
import type { PrincipalSpec, RequestContext } from './types.js';

/** How strongly a Principal element names the caller:
 *  - 'session': the element names this assumed-role session's own ARN;
 *  - 'direct': it names the caller (user, role of the session, the account's root user, or `*`);
 *  - 'account': it names the caller's account, delegating to that account's IAM policies. */
export type PrincipalMatch = 'session' | 'direct' | 'account';

const MAX_CACHED_PATTERNS = 4096;
const compiled = new Map<string, RegExp>();

/** A policy wildcard as a RegExp: `*` any run of characters, `?` any one character, anything
 *  else literal. The cache is bounded: when full, the oldest compiled pattern is dropped. */
function compile(pattern: string, caseInsensitive: boolean): RegExp {
  const cacheKey = (caseInsensitive ? 'i:' : 's:') + pattern;
  const hit = compiled.get(cacheKey);
  if (hit !== undefined) return hit;
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}/]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`, caseInsensitive ? 'isu' : 'su');
  if (compiled.size >= MAX_CACHED_PATTERNS) {
    const oldest = compiled.keys().next();
    if (oldest.done !== true) compiled.delete(oldest.value);
  }
  compiled.set(cacheKey, re);
  return re;
}

/** Number of compiled patterns held (for tests of the bound). */
export function compiledPatternCount(): number {
  return compiled.size;
}

/** Action patterns: "The service prefix and action name are case insensitive" and may use
 *  `*` and `?` wildcards (IAM JSON policy elements: Action). */
export function actionMatches(patterns: readonly string[], action: string): boolean {
  return patterns.some((p) => compile(p, true).test(action));
}

/** Resource patterns: ARNs are case sensitive; `*` and `?` are wildcards
 *  (IAM JSON policy elements: Resource, "You can use wildcard characters (* and ?)"). */
export function resourceMatches(patterns: readonly string[], resource: string): boolean {
  return patterns.some((p) => compile(p, false).test(resource));
}

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:aws:iam::(\d{12}):root$/;

/** The account an AWS principal entry names as a whole (`123456789012` or its root ARN), if any. */
function namedAccount(entry: string): string | undefined {
  if (ACCOUNT_ID.test(entry)) return entry;
  return ROOT_ARN.exec(entry)?.[1];
}

function rootArn(account: string): string {
  return `arn:aws:iam::${account}:root`;
}

const RANK: Record<PrincipalMatch, number> = { account: 1, direct: 2, session: 3 };

/** The strongest way a Principal element names the caller, or false. Security contract:
 *  - `*` matches any caller ('direct').
 *  - a user or role ARN matches exactly that principal; a role ARN also matches every session
 *    of that role (ctx.roleArn), because a role's sessions act as the role.
 *  - an assumed-role session ARN matches exactly that session ('session').
 *  - an account id or `arn:aws:iam::<acct>:root` "delegates authority to the account"
 *    (IAM JSON policy elements: Principal, "AWS account principals"): every principal of the
 *    account matches as 'account', needing the account's IAM policies too — except the
 *    account's root user itself, which the entry names directly. */
export function principalMatch(spec: PrincipalSpec, ctx: RequestContext): PrincipalMatch | false {
  if (spec.any) return 'direct';
  let best: PrincipalMatch | false = false;
  const consider = (m: PrincipalMatch): void => {
    if (best === false || RANK[m] > RANK[best]) best = m;
  };
  for (const entry of spec.aws) {
    if (entry === '*') return 'direct';
    const account = namedAccount(entry);
    if (account !== undefined) {
      if (ctx.principalArn === rootArn(account)) consider('direct');
      else if (ctx.principalAccount === account) consider('account');
    } else if (entry === ctx.principalArn) {
      consider(ctx.roleArn !== undefined ? 'session' : 'direct');
    } else if (ctx.roleArn !== undefined && entry === ctx.roleArn) {
      consider('direct');
    }
  }
  return best;
}

/** principalMatch as the public three-way answer: a session-ARN match is a direct match. */
export function principalMatches(spec: PrincipalSpec, ctx: RequestContext): 'direct' | 'account' | false {
  const m = principalMatch(spec, ctx);
  return m === 'session' ? 'direct' : m;
}

/** Whether a NotPrincipal element exempts the caller. "When you use NotPrincipal, you must also
 *  specify the account ARN of the not-denied principal. Otherwise, the policy might deny access
 *  to the entire account that contains the principal. ... When evaluating an assumed-role user,
 *  AWS checks the account, then the role, and finally the assumed-role user" (IAM JSON policy
 *  elements: NotPrincipal). So the caller is exempt only when every identity AWS checks — its
 *  account, its role (for a session) and itself — is listed. */
export function notPrincipalExempts(spec: PrincipalSpec, ctx: RequestContext): boolean {
  if (spec.any || spec.aws.includes('*')) return true;
  const listed = new Set(spec.aws);
  const accountListed = spec.aws.some((e) => namedAccount(e) === ctx.principalAccount);
  if (!accountListed) return false;
  if (ctx.principalArn === rootArn(ctx.principalAccount)) return true;
  if (ctx.roleArn !== undefined && !listed.has(ctx.roleArn)) return false;
  return listed.has(ctx.principalArn);
}

// Policy evaluation and AWS KMS's access decision, table-driven: each case is named after the AWS
// rule it checks (IAM policy evaluation logic, the KMS key-policy, grant and session-policy rules).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePolicy } from './document.js';
import { accessDeniedMessage, decideKmsAccess, evaluatePolicy, wouldLockOut, type KmsAccessInput } from './evaluate.js';
import { compiledPatternCount, principalMatches, resourceMatches } from './match.js';
import type { ConditionValue, PolicyDocument, PrincipalSpec, RequestContext } from './types.js';

const A = '111122223333'; // the key's account
const B = '444455556666'; // another account
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROOT_A = `arn:aws:iam::${A}:root`;
const ROOT_B = `arn:aws:iam::${B}:root`;
const ALICE = `arn:aws:iam::${A}:user/alice`;
const BOB = `arn:aws:iam::${A}:user/bob`;
const ROLE_A = `arn:aws:iam::${A}:role/app`;
const SESSION_A = `arn:aws:sts::${A}:assumed-role/app/s1`;
const CAROL_B = `arn:aws:iam::${B}:user/carol`;
const ROLE_B = `arn:aws:iam::${B}:role/partner`;
const SESSION_B = `arn:aws:sts::${B}:assumed-role/partner/job-7`;

type Json = Record<string, unknown>;
const key = (...statements: Json[]): PolicyDocument => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'key');
const identity = (...statements: Json[]): PolicyDocument => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'identity');
const session = (...statements: Json[]): PolicyDocument => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'session');
const allowTo = (aws: unknown, action: unknown = 'kms:*', extra: Json = {}): Json => ({ Effect: 'Allow', Principal: aws === '*' ? '*' : { AWS: aws }, Action: action, Resource: '*', ...extra });
const denyTo = (aws: unknown, action: unknown = 'kms:*', extra: Json = {}): Json => ({ Effect: 'Deny', Principal: aws === '*' ? '*' : { AWS: aws }, Action: action, Resource: '*', ...extra });
const idAllow = (action: unknown = 'kms:*', resource: unknown = KEY, extra: Json = {}): Json => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
const idDeny = (action: unknown = 'kms:*', resource: unknown = KEY, extra: Json = {}): Json => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });

/** AWS's default key policy: "Allows access to the AWS account and enables IAM policies". */
const DEFAULT_KEY_POLICY = parsePolicy(JSON.stringify({
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: ROOT_A }, Action: 'kms:*', Resource: '*' }],
}), 'key');

function ctx(principalArn: string, over: Partial<RequestContext> = {}): RequestContext {
  const account = /::(\d{12}):/.exec(principalArn)?.[1] ?? A;
  const role = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(principalArn);
  return {
    principalArn,
    principalAccount: account,
    roleArn: role === null ? undefined : `arn:aws:iam::${role[1]}:role/${role[2]}`,
    action: 'kms:Encrypt',
    resource: KEY,
    values: new Map([['kms:calleraccount', account]]),
    ...over,
  };
}
const withValues = (c: RequestContext, extra: Record<string, string>): RequestContext =>
  ({ ...c, values: new Map([...(c.values as ReadonlyMap<string, ConditionValue>), ...Object.entries(extra)]) });

// ---------------------------------------------------------------------------------------------
// evaluatePolicy: one document

type EvalCase = [string, PolicyDocument, RequestContext, 'direct' | 'account' | false, boolean];
const evalCases: EvalCase[] = [
  ['Principal "*" allows any caller directly', key(allowTo('*')), ctx(CAROL_B), 'direct', false],
  ['Principal {"AWS":"*"} allows any caller directly', key(allowTo(['*'])), ctx(ALICE), 'direct', false],
  ['a user ARN principal allows that user directly', key(allowTo(ALICE)), ctx(ALICE), 'direct', false],
  ['a user ARN principal does not allow another user', key(allowTo(ALICE)), ctx(BOB), false, false],
  ['an account-root principal delegates to a user of the account', key(allowTo(ROOT_A)), ctx(ALICE), 'account', false],
  ['an account-id principal delegates to a user of the account', key(allowTo(A)), ctx(ALICE), 'account', false],
  ['an account principal names the account root user directly', key(allowTo(A)), ctx(ROOT_A), 'direct', false],
  ['an account principal does not match another account', key(allowTo(ROOT_A)), ctx(CAROL_B), false, false],
  ['a role ARN principal allows the sessions of that role', key(allowTo(ROLE_A)), ctx(SESSION_A), 'direct', false],
  ['a session ARN principal allows that session', key(allowTo(SESSION_A)), ctx(SESSION_A), 'direct', false],
  ['a session ARN principal does not allow another session of the role', key(allowTo(SESSION_A)), ctx(`arn:aws:sts::${A}:assumed-role/app/s2`), false, false],
  ['a role ARN principal does not allow a user', key(allowTo(ROLE_A)), ctx(ALICE), false, false],
  ['the strongest applicable Allow wins (direct over account)', key(allowTo(ROOT_A), allowTo(ALICE, 'kms:Encrypt')), ctx(ALICE), 'direct', false],
  ['an action outside the statement does not apply', key(allowTo(ALICE, 'kms:Decrypt')), ctx(ALICE), false, false],
  ['action wildcard kms:* matches kms:Encrypt', key(allowTo(ALICE, 'kms:*')), ctx(ALICE), 'direct', false],
  ['action "*" matches every action', key(allowTo(ALICE, '*')), ctx(ALICE), 'direct', false],
  ['action names are case insensitive', key(allowTo(ALICE, 'KMS:encrypt')), ctx(ALICE), 'direct', false],
  ['action wildcard kms:Re* matches kms:ReEncryptFrom', key(allowTo(ALICE, 'kms:Re*')), ctx(ALICE, { action: 'kms:ReEncryptFrom' }), 'direct', false],
  ['action wildcard ? matches one character', key(allowTo(ALICE, 'kms:?ncrypt')), ctx(ALICE), 'direct', false],
  ['action wildcard ? does not match two characters', key(allowTo(ALICE, 'kms:?crypt')), ctx(ALICE), false, false],
  ['a pattern for another service does not match', key(allowTo(ALICE, 's3:*')), ctx(ALICE), false, false],
  ['NotAction applies to every action not listed', key(allowTo(ALICE, undefined, { Action: undefined, NotAction: 'kms:Decrypt' })), ctx(ALICE), 'direct', false],
  ['NotAction does not apply to a listed action', key(allowTo(ALICE, undefined, { Action: undefined, NotAction: 'kms:Encrypt' })), ctx(ALICE), false, false],
  ['NotAction wildcards are honoured', key(allowTo(ALICE, undefined, { Action: undefined, NotAction: 'kms:*crypt' })), ctx(ALICE), false, false],
  ['identity Resource with the key ARN matches', identity(idAllow('kms:Encrypt', KEY)), ctx(ALICE), 'direct', false],
  ['identity Resource wildcard over the account keys matches', identity(idAllow('kms:Encrypt', `arn:aws:kms:*:${A}:key/*`)), ctx(ALICE), 'direct', false],
  ['identity Resource for another key does not match', identity(idAllow('kms:Encrypt', `arn:aws:kms:us-east-1:${A}:key/other`)), ctx(ALICE), false, false],
  ['Resource ARNs are case sensitive', identity(idAllow('kms:Encrypt', KEY.toUpperCase().replace('ARN:AWS:KMS', 'arn:aws:kms'))), ctx(ALICE), false, false],
  ['NotResource applies to resources not listed', identity(idAllow('kms:Encrypt', undefined, { Resource: undefined, NotResource: `arn:aws:kms:*:${B}:key/*` })), ctx(ALICE), 'direct', false],
  ['NotResource does not apply to a listed resource', identity(idAllow('kms:Encrypt', undefined, { Resource: undefined, NotResource: 'arn:aws:kms:us-east-1:*' })), ctx(ALICE), false, false],
  ['an identity policy without Principal applies to its holder directly', identity(idAllow()), ctx(SESSION_B), 'direct', false],
  ['an applicable Deny is reported even with an Allow', key(allowTo('*'), denyTo(ALICE, 'kms:Encrypt')), ctx(ALICE), 'direct', true],
  ['a Deny naming the account applies to every principal of the account', key(denyTo(ROOT_A)), ctx(ALICE), false, true],
  ['a Deny for another action does not apply', key(allowTo(ALICE), denyTo(ALICE, 'kms:Decrypt')), ctx(ALICE), 'direct', false],
  ['NotPrincipal Deny applies to principals not listed', key(allowTo('*'), { Effect: 'Deny', NotPrincipal: { AWS: [ALICE, ROOT_A] }, Action: 'kms:*', Resource: '*' }), ctx(BOB), 'direct', true],
  ['NotPrincipal Deny exempts a user listed with its account', key(allowTo('*'), { Effect: 'Deny', NotPrincipal: { AWS: [ALICE, ROOT_A] }, Action: 'kms:*', Resource: '*' }), ctx(ALICE), 'direct', false],
  ['NotPrincipal Deny without the account ARN still denies the listed user', key(allowTo('*'), { Effect: 'Deny', NotPrincipal: { AWS: [ALICE] }, Action: 'kms:*', Resource: '*' }), ctx(ALICE), 'direct', true],
  ['NotPrincipal Deny exempts a session only with session, role and account listed', key(allowTo('*'), { Effect: 'Deny', NotPrincipal: { AWS: [SESSION_A, ROLE_A, A] }, Action: 'kms:*', Resource: '*' }), ctx(SESSION_A), 'direct', false],
  ['NotPrincipal Deny listing only the role does not exempt its session', key(allowTo('*'), { Effect: 'Deny', NotPrincipal: { AWS: [ROLE_A, A] }, Action: 'kms:*', Resource: '*' }), ctx(SESSION_A), 'direct', true],
  ['NotPrincipal Deny listing the account exempts the root user', key(allowTo('*'), { Effect: 'Deny', NotPrincipal: { AWS: ROOT_A }, Action: 'kms:*', Resource: '*' }), ctx(ROOT_A), 'direct', false],
  ['StringEquals on kms:CallerAccount allows the named account', key(allowTo('*', 'kms:Encrypt', { Condition: { StringEquals: { 'kms:CallerAccount': A } } })), ctx(ALICE), 'direct', false],
  ['StringEquals on kms:CallerAccount refuses another account', key(allowTo('*', 'kms:Encrypt', { Condition: { StringEquals: { 'kms:CallerAccount': A } } })), ctx(CAROL_B), false, false],
  ['condition keys match case-insensitively (policy key spelled in capitals)', key(allowTo(ALICE, 'kms:Encrypt', { Condition: { StringEquals: { 'KMS:EncryptionContext:Tenant': 'acme' } } })), withValues(ctx(ALICE), { 'kms:encryptioncontext:tenant': 'acme' }), 'direct', false],
  ['StringEquals on an encryption-context key refuses another value', key(allowTo(ALICE, 'kms:Encrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } } })), withValues(ctx(ALICE), { 'kms:encryptioncontext:tenant': 'other' }), false, false],
  ['a condition on an absent key is false', key(allowTo(ALICE, 'kms:Encrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } } })), ctx(ALICE), false, false],
  ['all conditions of a statement must hold', key(allowTo('*', 'kms:Encrypt', { Condition: { StringEquals: { 'kms:CallerAccount': A, 'kms:EncryptionContext:tenant': 'acme' } } })), ctx(ALICE), false, false],
  ['a Deny applies only when its condition holds', key(allowTo(ALICE), denyTo(ALICE, 'kms:*', { Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'blocked' } } })), withValues(ctx(ALICE), { 'kms:encryptioncontext:tenant': 'acme' }), 'direct', false],
  ['a Deny with a holding condition applies', key(allowTo(ALICE), denyTo(ALICE, 'kms:*', { Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'blocked' } } })), withValues(ctx(ALICE), { 'kms:encryptioncontext:tenant': 'blocked' }), 'direct', true],
  ['a Service principal does not match an IAM caller', key({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'kms:*', Resource: '*' }), ctx(ALICE), false, false],
];
for (const [name, doc, c, allowed, denied] of evalCases) {
  test(`evaluatePolicy: ${name}`, () => assert.deepEqual(evaluatePolicy(doc, c), { allowed, denied }));
}

// ---------------------------------------------------------------------------------------------
// decideKmsAccess: key policy + identity policies + session policy + grants

type Decision = 'Allow' | 'explicit-deny' | 'no-allow';
type AccessCase = [string, Omit<KmsAccessInput, 'keyAccount' | 'grantAllows' | 'identityPolicies'> & Partial<KmsAccessInput>, Decision];
const S_ALLOW_ENCRYPT = session(idAllow('kms:Encrypt', '*'));
const S_ALLOW_DECRYPT = session(idAllow('kms:Decrypt', '*'));

const accessCases: AccessCase[] = [
  // The default key policy: the account, and so IAM policies, decide.
  ['default key policy: an IAM user allowed by its identity policy is allowed', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow('kms:Encrypt'))], ctx: ctx(ALICE) }, 'Allow'],
  ['default key policy: an IAM user without an identity policy allow is denied', { keyPolicy: DEFAULT_KEY_POLICY, ctx: ctx(ALICE) }, 'no-allow'],
  ['default key policy: an identity policy allowing another action does not help', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow('kms:Decrypt'))], ctx: ctx(ALICE) }, 'no-allow'],
  ['default key policy: an identity policy for another key does not help', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow('kms:*', `arn:aws:kms:us-east-1:${A}:key/other`))], ctx: ctx(ALICE) }, 'no-allow'],
  ['default key policy: any one of several identity policies may allow', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow('kms:Decrypt')), identity(idAllow('kms:Enc*'))], ctx: ctx(ALICE) }, 'Allow'],
  ['default key policy: the account root user is allowed without identity policies', { keyPolicy: DEFAULT_KEY_POLICY, ctx: ctx(ROOT_A) }, 'Allow'],
  ['default key policy: a role session allowed by the role identity policy is allowed', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow())], ctx: ctx(SESSION_A) }, 'Allow'],
  ['default key policy: a principal of another account is denied even with its identity allow', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow())], ctx: ctx(CAROL_B) }, 'no-allow'],
  // Same account, key policy naming the principal.
  ['same account: a key policy allowing the user directly suffices without identity policy', { keyPolicy: key(allowTo(ALICE, 'kms:Encrypt')), ctx: ctx(ALICE) }, 'Allow'],
  ['same account: an identity policy alone cannot allow without the key policy', { keyPolicy: key(allowTo(BOB)), identityPolicies: [identity(idAllow())], ctx: ctx(ALICE) }, 'no-allow'],
  ['same account: Principal "*" in the key policy allows without identity policy', { keyPolicy: key(allowTo('*', 'kms:Encrypt')), ctx: ctx(ALICE) }, 'Allow'],
  ['same account: a key policy allowing the role allows its sessions', { keyPolicy: key(allowTo(ROLE_A, 'kms:Encrypt')), ctx: ctx(SESSION_A) }, 'Allow'],
  ['same account: a key policy allowing the session ARN allows that session', { keyPolicy: key(allowTo(SESSION_A, 'kms:Encrypt')), ctx: ctx(SESSION_A) }, 'Allow'],
  ['same account: a key policy allowing another action does not allow', { keyPolicy: key(allowTo(ALICE, 'kms:Decrypt')), ctx: ctx(ALICE) }, 'no-allow'],
  // Explicit deny overrides every allow.
  ['explicit deny: a key policy Deny overrides a direct key policy Allow', { keyPolicy: key(allowTo(ALICE), denyTo(ALICE, 'kms:Encrypt')), ctx: ctx(ALICE) }, 'explicit-deny'],
  ['explicit deny: an identity policy Deny overrides a direct key policy Allow', { keyPolicy: key(allowTo(ALICE)), identityPolicies: [identity(idDeny('kms:Encrypt'))], ctx: ctx(ALICE) }, 'explicit-deny'],
  ['explicit deny: an identity policy Deny overrides another identity policy Allow', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow()), identity(idDeny('kms:Enc*', '*'))], ctx: ctx(ALICE) }, 'explicit-deny'],
  ['explicit deny: an identity policy Deny needs no key policy permission', { keyPolicy: key(allowTo(BOB)), identityPolicies: [identity(idDeny())], ctx: ctx(ALICE) }, 'explicit-deny'],
  ['explicit deny: a Deny overrides a grant', { keyPolicy: key(denyTo('*', 'kms:Encrypt')), grantAllows: true, ctx: ctx(ALICE) }, 'explicit-deny'],
  ['explicit deny: a session policy Deny overrides a direct key policy Allow', { keyPolicy: key(allowTo(SESSION_A)), sessionPolicy: session(idAllow('*', '*'), idDeny('kms:Encrypt', '*')), ctx: ctx(SESSION_A) }, 'explicit-deny'],
  ['explicit deny: a key policy Deny of the account root overrides the root user', { keyPolicy: key(allowTo(ROOT_A), denyTo(ROOT_A, 'kms:Encrypt')), ctx: ctx(ROOT_A) }, 'explicit-deny'],
  ['explicit deny: a Deny on a non-matching condition does not deny', { keyPolicy: key(allowTo(ALICE), denyTo('*', 'kms:*', { Condition: { StringEquals: { 'kms:CallerAccount': B } } })), ctx: ctx(ALICE) }, 'Allow'],
  ['explicit deny: a NotAction Deny denies everything but the listed actions', { keyPolicy: key(allowTo(ALICE), denyTo(ALICE, undefined, { Action: undefined, NotAction: 'kms:Decrypt' })), ctx: ctx(ALICE) }, 'explicit-deny'],
  ['explicit deny: a NotResource identity Deny spares the listed key', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow()), identity(idDeny('kms:*', undefined, { Resource: undefined, NotResource: KEY }))], ctx: ctx(ALICE) }, 'Allow'],
  // Cross-account: both sides must allow.
  ['cross-account: key policy allow of the account root plus identity policy allow is allowed', { keyPolicy: key(allowTo(ROOT_B, 'kms:Encrypt')), identityPolicies: [identity(idAllow())], ctx: ctx(CAROL_B) }, 'Allow'],
  ['cross-account: key policy allow without identity policy allow is denied', { keyPolicy: key(allowTo(ROOT_B, 'kms:Encrypt')), ctx: ctx(CAROL_B) }, 'no-allow'],
  ['cross-account: identity policy allow without key policy allow is denied', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow())], ctx: ctx(CAROL_B) }, 'no-allow'],
  ['cross-account: key policy allow by account id plus identity allow is allowed', { keyPolicy: key(allowTo(B, 'kms:Encrypt')), identityPolicies: [identity(idAllow())], ctx: ctx(CAROL_B) }, 'Allow'],
  ['cross-account: key policy naming the user directly still needs an identity allow', { keyPolicy: key(allowTo(CAROL_B)), ctx: ctx(CAROL_B) }, 'no-allow'],
  ['cross-account: key policy naming the role plus role identity allow allows its session', { keyPolicy: key(allowTo(ROLE_B)), identityPolicies: [identity(idAllow())], ctx: ctx(SESSION_B) }, 'Allow'],
  ['cross-account: key policy naming the role without identity allow denies its session', { keyPolicy: key(allowTo(ROLE_B)), ctx: ctx(SESSION_B) }, 'no-allow'],
  ['cross-account: key policy naming the session ARN still needs an identity allow', { keyPolicy: key(allowTo(SESSION_B)), ctx: ctx(SESSION_B) }, 'no-allow'],
  ['cross-account: key policy naming the session ARN plus identity allow is allowed', { keyPolicy: key(allowTo(SESSION_B)), identityPolicies: [identity(idAllow())], ctx: ctx(SESSION_B) }, 'Allow'],
  ['cross-account: key policy Principal "*" still needs an identity allow', { keyPolicy: key(allowTo('*')), ctx: ctx(CAROL_B) }, 'no-allow'],
  ['cross-account: the other account root user has implicit identity permission', { keyPolicy: key(allowTo(ROOT_B, 'kms:Encrypt')), ctx: ctx(ROOT_B) }, 'Allow'],
  ['cross-account: a key policy allowing a role does not allow other principals of its account', { keyPolicy: key(allowTo(ROLE_B)), identityPolicies: [identity(idAllow())], ctx: ctx(CAROL_B) }, 'no-allow'],
  ['cross-account: kms:CallerAccount condition restricts the key policy allow', { keyPolicy: key(allowTo('*', 'kms:Encrypt', { Condition: { StringEquals: { 'kms:CallerAccount': A } } })), identityPolicies: [identity(idAllow())], ctx: ctx(CAROL_B) }, 'no-allow'],
  ['cross-account: an identity Deny in the caller account overrides both allows', { keyPolicy: key(allowTo(ROOT_B)), identityPolicies: [identity(idAllow()), identity(idDeny())], ctx: ctx(CAROL_B) }, 'explicit-deny'],
  // Grants.
  ['grant: a grant allows without any policy allow', { keyPolicy: key(allowTo(BOB)), grantAllows: true, ctx: ctx(ALICE) }, 'Allow'],
  ['grant: a grant to a principal in another account allows it', { keyPolicy: DEFAULT_KEY_POLICY, grantAllows: true, ctx: ctx(CAROL_B) }, 'Allow'],
  ['grant: no grant and no policy allow is denied', { keyPolicy: key(allowTo(BOB)), grantAllows: false, ctx: ctx(ALICE) }, 'no-allow'],
  ['grant: an identity policy Deny overrides a grant', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idDeny())], grantAllows: true, ctx: ctx(ALICE) }, 'explicit-deny'],
  // Session policies.
  ['session policy: narrows an identity-policy allow to the actions it allows', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow())], sessionPolicy: S_ALLOW_DECRYPT, ctx: ctx(SESSION_A) }, 'no-allow'],
  ['session policy: an identity-policy allow that the session policy also allows is allowed', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow())], sessionPolicy: S_ALLOW_ENCRYPT, ctx: ctx(SESSION_A) }, 'Allow'],
  ['session policy: cannot grant more than the identity policy', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow('kms:Decrypt'))], sessionPolicy: S_ALLOW_ENCRYPT, ctx: ctx(SESSION_A) }, 'no-allow'],
  ['session policy: limits a key policy allow that names the role', { keyPolicy: key(allowTo(ROLE_A)), sessionPolicy: S_ALLOW_DECRYPT, ctx: ctx(SESSION_A) }, 'no-allow'],
  ['session policy: a key policy allow naming the role passes when the session policy allows', { keyPolicy: key(allowTo(ROLE_A)), sessionPolicy: S_ALLOW_ENCRYPT, ctx: ctx(SESSION_A) }, 'Allow'],
  ['session policy: does not limit a key policy allow naming the session ARN', { keyPolicy: key(allowTo(SESSION_A)), sessionPolicy: S_ALLOW_DECRYPT, ctx: ctx(SESSION_A) }, 'Allow'],
  ['session policy: limits a key policy Principal "*" allow', { keyPolicy: key(allowTo('*')), sessionPolicy: S_ALLOW_DECRYPT, ctx: ctx(SESSION_A) }, 'no-allow'],
  ['session policy: limits a cross-account identity allow', { keyPolicy: key(allowTo(ROLE_B)), identityPolicies: [identity(idAllow())], sessionPolicy: S_ALLOW_DECRYPT, ctx: ctx(SESSION_B) }, 'no-allow'],
  ['session policy: an encryption-context condition in the session policy is honoured', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow())], sessionPolicy: session(idAllow('kms:Encrypt', '*', { Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } } })), ctx: withValues(ctx(SESSION_A), { 'kms:encryptioncontext:tenant': 'acme' }) }, 'Allow'],
  ['session policy: a session policy condition that fails denies', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow())], sessionPolicy: session(idAllow('kms:Encrypt', '*', { Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } } })), ctx: withValues(ctx(SESSION_A), { 'kms:encryptioncontext:tenant': 'other' }) }, 'no-allow'],
  // Conditions wired through the key policy.
  ['conditions: a key policy allow on a matching encryption context allows', { keyPolicy: key(allowTo(ALICE, 'kms:Encrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } } })), ctx: withValues(ctx(ALICE), { 'kms:encryptioncontext:tenant': 'acme' }) }, 'Allow'],
  ['conditions: a key policy allow on a different encryption context denies', { keyPolicy: key(allowTo(ALICE, 'kms:Encrypt', { Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } } })), ctx: withValues(ctx(ALICE), { 'kms:encryptioncontext:tenant': 'evil' }) }, 'no-allow'],
  ['conditions: an identity policy condition on kms:CallerAccount is honoured', { keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow('kms:*', KEY, { Condition: { StringEquals: { 'kms:CallerAccount': B } } }))], ctx: ctx(ALICE) }, 'no-allow'],
];
for (const [name, input, expected] of accessCases) {
  test(`decideKmsAccess: ${name}`, () => {
    const result = decideKmsAccess({ keyAccount: A, identityPolicies: [], grantAllows: false, ...input });
    assert.equal(result.decision === 'Allow' ? 'Allow' : result.reason, expected);
    assert.equal(result.decision === 'Allow', result.reason === 'allowed');
  });
}

// ---------------------------------------------------------------------------------------------
// The lockout safety check

type LockCase = [string, PolicyDocument, RequestContext, boolean];
const lockCases: LockCase[] = [
  ['lockout: the default key policy does not lock out the account root user', DEFAULT_KEY_POLICY, ctx(ROOT_A), false],
  ['lockout: the default key policy does not lock out an IAM user (account delegation)', DEFAULT_KEY_POLICY, ctx(ALICE), false],
  ['lockout: a policy naming only another user locks the caller out', key(allowTo(BOB)), ctx(ALICE), true],
  ['lockout: a policy allowing the caller only kms:Encrypt locks it out', key(allowTo(ALICE, 'kms:Encrypt')), ctx(ALICE), true],
  ['lockout: a policy allowing the caller kms:PutKeyPolicy does not lock it out', key(allowTo(ALICE, 'kms:PutKeyPolicy')), ctx(ALICE), false],
  ['lockout: a policy allowing kms:Put* does not lock the caller out', key(allowTo(ALICE, 'kms:Put*')), ctx(ALICE), false],
  ['lockout: a policy denying the caller kms:PutKeyPolicy locks it out', key(allowTo(ROOT_A), denyTo(ALICE, 'kms:PutKeyPolicy')), ctx(ALICE), true],
  ['lockout: a policy allowing the role does not lock out its session', key(allowTo(ROLE_A)), ctx(SESSION_A), false],
  ['lockout: a NotAction excluding kms:PutKeyPolicy locks the caller out', key(allowTo(ALICE, undefined, { Action: undefined, NotAction: 'kms:PutKeyPolicy' })), ctx(ALICE), true],
];
for (const [name, doc, c, expected] of lockCases) {
  test(name, () => assert.equal(wouldLockOut(doc, c), expected));
}

// ---------------------------------------------------------------------------------------------
// Access-denied messages and matching helpers

test('message: no resource-based policy allows the action', () => {
  assert.equal(accessDeniedMessage(ctx(ALICE), 'no-allow'),
    `User: ${ALICE} is not authorized to perform: kms:Encrypt on resource: ${KEY} because no resource-based policy allows the kms:Encrypt action`);
});

test('message: explicit deny in a resource-based policy', () => {
  assert.equal(accessDeniedMessage(ctx(ALICE), 'explicit-deny', 'resource-based'),
    `User: ${ALICE} is not authorized to perform: kms:Encrypt on resource: ${KEY} with an explicit deny in a resource-based policy`);
});

test('message: explicit deny in an identity-based policy', () => {
  assert.equal(accessDeniedMessage(ctx(ALICE), 'explicit-deny', 'identity-based'),
    `User: ${ALICE} is not authorized to perform: kms:Encrypt on resource: ${KEY} with an explicit deny in an identity-based policy`);
});

test('message: no identity-based policy allows the action', () => {
  assert.equal(accessDeniedMessage(ctx(ALICE, { action: 'kms:Decrypt' }), 'no-allow', 'identity-based'),
    `User: ${ALICE} is not authorized to perform: kms:Decrypt on resource: ${KEY} because no identity-based policy allows the kms:Decrypt action`);
});

test('message: no session policy allows the action', () => {
  assert.match(accessDeniedMessage(ctx(SESSION_A), 'no-allow', 'session'), /because no session policy allows the kms:Encrypt action$/);
});

test('message: the decision names the policy type to blame', () => {
  const base = { keyAccount: A, grantAllows: false } as const;
  assert.equal(decideKmsAccess({ ...base, keyPolicy: key(allowTo(BOB)), identityPolicies: [], ctx: ctx(ALICE) }).source, 'resource-based');
  assert.equal(decideKmsAccess({ ...base, keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [], ctx: ctx(ALICE) }).source, 'identity-based');
  assert.equal(decideKmsAccess({ ...base, keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idDeny())], ctx: ctx(ALICE) }).source, 'identity-based');
  assert.equal(decideKmsAccess({ ...base, keyPolicy: DEFAULT_KEY_POLICY, identityPolicies: [identity(idAllow())], sessionPolicy: S_ALLOW_DECRYPT, ctx: ctx(SESSION_A) }).source, 'session');
});

test('principalMatches: an account principal never reports a user as direct', () => {
  const spec: PrincipalSpec = { any: false, aws: [A], service: [] };
  assert.equal(principalMatches(spec, ctx(ALICE)), 'account');
  assert.equal(principalMatches(spec, ctx(ROOT_A)), 'direct');
  assert.equal(principalMatches({ any: false, aws: [SESSION_A], service: [] }, ctx(SESSION_A)), 'direct');
});

test('match: regular-expression characters in a pattern are literal', () => {
  assert.equal(resourceMatches(['arn:aws:kms:us-east-1:111122223333:key/a.c'], 'arn:aws:kms:us-east-1:111122223333:key/abc'), false);
  assert.equal(resourceMatches(['arn:aws:kms:(.*)'], 'arn:aws:kms:x'), false);
});

test('match: the compiled-pattern cache is bounded', () => {
  for (let i = 0; i < 5000; i++) resourceMatches([`arn:aws:kms:*:${i}`], 'x');
  assert.ok(compiledPatternCount() <= 4096);
});

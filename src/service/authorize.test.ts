// authorize() end to end over real parsed policies: who the caller is (root, IAM user, session),
// what the key policy, identity policies, session policy and grants say, and the condition keys
// the request carries (network, token age, aliases, tags).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Principal } from '../auth/principal.js';
import type { Origin } from '../auth/request-context.js';
import type { KeyBackend } from '../backends/key-backend.js';
import { KmsError } from '../core/errors.js';
import type { KeyRecord, Tag } from '../core/keys.js';
import { parsePolicy } from '../policy/document.js';
import type { GrantRecord } from '../store/identity-records.js';
import { authorize, authorizeIdentity } from './authorize.js';
import { CachedKey } from './key-cache.js';
import { checkNewKeyPolicy } from './operations/key-policy-checks.js';
import { defaultKeyPolicy } from './operations/policy-text.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const now = new Date(Date.UTC(2026, 10, 23, 12));
const loopback: Origin = { sourceIp: '127.0.0.1', secureTransport: false };

const keyRecord = (policy = defaultKeyPolicy(ACCOUNT)): KeyRecord => ({
  id: '1234abcd-12ab-34cd-56ef-1234567890ab', accountId: ACCOUNT, region: 'us-east-1',
  arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, createdAt: now, description: '',
  keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', state: 'Enabled', policy,
  deletionDate: null, pendingWindowDays: null, currentMaterialId: null, rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 0, keyManager: 'CUSTOMER', validTo: null,
});

const noBackend = {} as KeyBackend; // authorisation never opens key material
function key(opts: { policy?: string; grants?: Partial<GrantRecord>[]; aliases?: string[]; tags?: Tag[] } = {}): CachedKey {
  const grants = (opts.grants ?? []).map((g, i): GrantRecord => ({
    grantId: `g${i}`, keyId: keyRecord().id, name: null, granteePrincipal: '', retiringPrincipal: null, operations: [],
    constraints: null, issuingAccount: ACCOUNT, createdAt: now, ...g,
  }));
  return new CachedKey(keyRecord(opts.policy), [], noBackend, { grants, aliases: opts.aliases ?? [], tags: opts.tags ?? [] });
}

const policy = (...statements: object[]) => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'identity');
const allow = (action: string | string[], condition?: object) => ({ Effect: 'Allow', Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}) });
const denyAll = (condition: object) => ({ Effect: 'Deny', Action: '*', Resource: '*', Condition: condition });

const root: Principal = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: 'AKIAROOT', type: 'Root', userId: ACCOUNT, identityPolicies: [], isAdmin: false };
const user = (...statements: object[]): Principal => ({
  accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/app`, accessKeyId: 'AKIAAPP', type: 'IAMUser', userId: 'AIDAAPP',
  identityPolicies: statements.length ? [policy(...statements)] : [], isAdmin: false,
});
const ROLE = `arn:aws:iam::${OTHER}:role/provider`;
const session = (opts: { statements?: object[]; sessionPolicy?: object[]; issued?: Date } = {}): Principal => ({
  accountId: OTHER, arn: `arn:aws:sts::${OTHER}:assumed-role/provider/s1`, accessKeyId: 'ASIAS1', type: 'AssumedRole', userId: 'AROAPROVIDER:s1',
  roleArn: ROLE, identityPolicies: opts.statements ? [policy(...opts.statements)] : [],
  sessionPolicy: opts.sessionPolicy ? parsePolicy(JSON.stringify({ Statement: opts.sessionPolicy }), 'session') : undefined,
  tokenIssuedAt: opts.issued ?? now, isAdmin: false,
});

type Facts = { action?: string; context?: Record<string, string>; origin?: Origin; extra?: Record<string, string> };
function check(k: CachedKey, principal: Principal, facts: Facts = {}): string {
  try {
    authorize(k, { principal, action: facts.action ?? 'kms:Encrypt', now, origin: facts.origin ?? loopback, encryptionContext: facts.context, extra: facts.extra });
    return 'Allow';
  } catch (err) {
    if (err instanceof KmsError && err.type === 'AccessDeniedException') return err.message;
    throw err;
  }
}
const denied = (result: string): boolean => result !== 'Allow';

const crossAccountPolicy = (statement: object) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }, statement],
});

test("default key policy: the account root may, an IAM user only with its identity policy's allow", () => {
  assert.equal(check(key(), root), 'Allow');
  assert.equal(check(key(), user(allow('kms:Encrypt'))), 'Allow');
  assert.match(check(key(), user()), /because no identity-based policy allows the kms:Encrypt action/);
  assert.ok(denied(check(key(), user(allow('kms:Decrypt')))));
});

test("a key policy that does not delegate to the account makes an IAM user's identity policy useless", () => {
  const k = key({ policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` }, Action: 'kms:*', Resource: '*' }] }) });
  assert.match(check(k, user(allow('kms:*'))), /no resource-based policy allows/);
});

test('an explicit deny in an identity policy refuses even the grant that allows', () => {
  const k = key({ grants: [{ granteePrincipal: `arn:aws:iam::${ACCOUNT}:user/app`, operations: ['Encrypt'] }] });
  assert.equal(check(k, user()), 'Allow');
  assert.match(check(k, user({ Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' })), /with an explicit deny in an identity-based policy/);
});

test('a grant authorises only its operations, and only within its constraints (keys case-insensitive, values not)', () => {
  const k = key({ grants: [{ granteePrincipal: `arn:aws:iam::${ACCOUNT}:user/app`, operations: ['Decrypt'], constraints: JSON.stringify({ encryptionContextSubset: { Tenant: 'a' } }) }] });
  assert.equal(check(k, user(), { action: 'kms:Decrypt', context: { tenant: 'a', extra: 'x' } }), 'Allow');
  assert.ok(denied(check(k, user(), { action: 'kms:Decrypt', context: { tenant: 'A' } })));
  assert.ok(denied(check(k, user(), { action: 'kms:Decrypt' })));
  assert.ok(denied(check(k, user(), { action: 'kms:Encrypt', context: { tenant: 'a' } })));
});

test('a grant whose stored constraints no longer parse allows nothing (fail closed)', () => {
  const k = key({ grants: [{ granteePrincipal: `arn:aws:iam::${ACCOUNT}:user/app`, operations: ['Encrypt'], constraints: '{not json' }] });
  assert.ok(denied(check(k, user())));
});

test("a grant to a role covers that role's sessions, across accounts", () => {
  const k = key({ grants: [{ granteePrincipal: ROLE, operations: ['Decrypt'] }] });
  assert.equal(check(k, session(), { action: 'kms:Decrypt' }), 'Allow');
  assert.ok(denied(check(k, session(), { action: 'kms:Encrypt' })));
});

test("cross-account: the key policy must allow the role and the role's identity policy must allow too", () => {
  const k = key({ policy: crossAccountPolicy({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' }) });
  assert.equal(check(k, session({ statements: [allow('kms:Decrypt')] }), { action: 'kms:Decrypt' }), 'Allow');
  assert.match(check(k, session(), { action: 'kms:Decrypt' }), /no identity-based policy allows/);
  assert.ok(denied(check(key(), session({ statements: [allow('kms:*')] }), { action: 'kms:Decrypt' })));
});

test('a session policy narrows what the role allows', () => {
  const k = key({ policy: crossAccountPolicy({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:*', Resource: '*' }) });
  const s = session({ statements: [allow('kms:*')], sessionPolicy: [allow('kms:Encrypt')] });
  assert.equal(check(k, s, { action: 'kms:Encrypt' }), 'Allow');
  assert.match(check(k, s, { action: 'kms:Decrypt' }), /no session policy allows/);
});

test("aws:TokenIssueTime: the console's revoke-older-sessions deny refuses sessions issued before the cut-off only", () => {
  const k = key({ policy: crossAccountPolicy({ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:*', Resource: '*' }) });
  const revoke = denyAll({ DateLessThan: { 'aws:TokenIssueTime': now.toISOString() } });
  assert.ok(denied(check(k, session({ statements: [allow('kms:*'), revoke], issued: new Date(now.getTime() - 1000) }))));
  assert.equal(check(k, session({ statements: [allow('kms:*'), revoke], issued: now })), 'Allow');
});

test('aws:SourceIp and aws:SecureTransport come from the connection', () => {
  const k = key({ policy: JSON.stringify({ Statement: [
    { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*' },
    { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
  ] }) });
  assert.equal(check(k, root, { origin: { sourceIp: '10.1.2.3', secureTransport: false } }), 'Allow');
  assert.ok(denied(check(k, root, { origin: { sourceIp: '192.168.1.1', secureTransport: false } })));
  const tlsOnly = key({ policy: JSON.stringify({ Statement: [
    { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
  ] }) });
  assert.ok(denied(check(tlsOnly, root)));
  assert.equal(check(tlsOnly, root, { origin: { sourceIp: '127.0.0.1', secureTransport: true } }), 'Allow');
});

test('kms:ResourceAliases, kms:RequestAlias and aws:ResourceTag describe the key and how it was named', () => {
  const k = key({ aliases: ['alias/payments'], tags: [{ TagKey: 'Team', TagValue: 'pay' }] });
  const onlyWhen = (condition: object) => user(allow('kms:Encrypt', condition));
  assert.equal(check(k, onlyWhen({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/payments' } })), 'Allow');
  assert.ok(denied(check(k, onlyWhen({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/other' } }))));
  assert.equal(check(k, onlyWhen({ StringEquals: { 'aws:ResourceTag/team': 'pay' } })), 'Allow');
  assert.ok(denied(check(k, onlyWhen({ StringEquals: { 'aws:ResourceTag/team': 'PAY' } }))));
  assert.equal(check(k, onlyWhen({ StringEquals: { 'kms:RequestAlias': 'alias/payments' } }), { extra: { 'kms:requestalias': 'alias/payments' } }), 'Allow');
  assert.ok(denied(check(k, onlyWhen({ StringEquals: { 'kms:RequestAlias': 'alias/payments' } }))));
});

test('authorizeIdentity: the account root is allowed; others need an allow and no deny', () => {
  const run = (p: Principal): string => {
    try {
      authorizeIdentity(p, 'kms:CreateKey', '*', now, loopback);
      return 'Allow';
    } catch (err) {
      return (err as Error).message;
    }
  };
  assert.equal(run(root), 'Allow');
  assert.equal(run(user(allow('kms:Create*'))), 'Allow');
  assert.match(run(user()), /User: arn:aws:iam::111122223333:user\/app is not authorized to perform: kms:CreateKey on resource: \*/);
  assert.ok(denied(run(user(allow('kms:*'), { Effect: 'Deny', Action: 'kms:CreateKey', Resource: '*' }))));
  assert.ok(denied(run(session({ statements: [allow('kms:*')], sessionPolicy: [allow('kms:Encrypt')] }))));
});

test("the lockout check evaluates the new policy's conditions with the caller's values", () => {
  const withCondition = (account: string): string => JSON.stringify({ Statement: [
    { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': account } } },
  ] });
  assert.doesNotThrow(() => checkNewKeyPolicy(withCondition(ACCOUNT), keyRecord(), root, now, false));
  assert.throws(() => checkNewKeyPolicy(withCondition(OTHER), keyRecord(), root, now, false), /will not allow you to update the key policy/);
});

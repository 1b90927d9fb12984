// Which condition keys a request carries, and with what values: the keys KMS users write policies
// with (AWS KMS condition keys; IAM global condition context keys), each from its source.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeyRecord } from '../core/keys.js';
import type { ConditionValue } from '../policy/types.js';
import type { Principal } from './principal.js';
import { requestContext, type RequestFacts } from './request-context.js';

const ACCOUNT = '111122223333';
const now = new Date(Date.UTC(2026, 10, 23, 12, 30));
const issued = new Date(Date.UTC(2026, 10, 23, 11));
const record: KeyRecord = {
  id: '1234abcd-12ab-34cd-56ef-1234567890ab', accountId: ACCOUNT, region: 'us-east-1',
  arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, createdAt: now, description: '',
  keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', state: 'Enabled', policy: '{}',
  deletionDate: null, pendingWindowDays: null, currentMaterialId: null, rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 0, keyManager: 'CUSTOMER', validTo: null,
};
const root: Principal = { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: 'AKIAROOT', type: 'Root', userId: ACCOUNT, identityPolicies: [], isAdmin: false };
const user: Principal = { ...root, arn: `arn:aws:iam::${ACCOUNT}:user/ops/alice`, type: 'IAMUser', userId: 'AIDAALICE' };
const session: Principal = {
  ...root, accountId: '444455556666', arn: 'arn:aws:sts::444455556666:assumed-role/provider/job-1', type: 'AssumedRole',
  userId: 'AROAPROVIDER:job-1', roleArn: 'arn:aws:iam::444455556666:role/provider', tokenIssuedAt: issued,
};

const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  principal: root, action: 'kms:Encrypt', resource: record.arn, now, origin: { sourceIp: '203.0.113.7', secureTransport: true },
  key: { record, aliases: () => ['alias/payments', 'alias/legacy'], tags: () => [{ TagKey: 'CostCenter', TagValue: 'Ops-1' }] },
  encryptionContext: { Tenant: 'acme', purpose: 'backup' },
  ...over,
});

type Case = [name: string, facts: RequestFacts, key: string, expected: ConditionValue | undefined];
const cases: Case[] = [
  ['kms:EncryptionContext:<key> is looked up without regard to the key\'s case', facts(), 'kms:encryptioncontext:tenant', 'acme'],
  ['kms:EncryptionContext:<key> keeps the value\'s case', facts({ encryptionContext: { t: 'AcMe' } }), 'kms:encryptioncontext:t', 'AcMe'],
  ['kms:EncryptionContextKeys lists the context keys as sent', facts(), 'kms:encryptioncontextkeys', ['Tenant', 'purpose']],
  ['kms:EncryptionContextKeys of an empty context is an empty set', facts({ encryptionContext: {} }), 'kms:encryptioncontextkeys', []],
  ['kms:EncryptionContextKeys is absent when the operation takes no context', facts({ encryptionContext: undefined }), 'kms:encryptioncontextkeys', undefined],
  ['kms:CallerAccount is the caller\'s account', facts({ principal: session }), 'kms:calleraccount', '444455556666'],
  ['kms:ViaService is absent when the request came through no integrated service', facts(), 'kms:viaservice', undefined],
  ['kms:ViaService names the integrated service the request came through', facts({ origin: { sourceIp: '203.0.113.7', secureTransport: true, viaService: 'media.us-east-1.amazonaws.com' } }), 'kms:viaservice', 'media.us-east-1.amazonaws.com'],
  ['kms:KeySpec is the key\'s spec', facts(), 'kms:keyspec', 'SYMMETRIC_DEFAULT'],
  ['kms:KeyUsage is the key\'s usage', facts(), 'kms:keyusage', 'ENCRYPT_DECRYPT'],
  ['kms:KeyOrigin is the key\'s origin', facts(), 'kms:keyorigin', 'AWS_KMS'],
  ['kms:ResourceAliases lists every alias of the key', facts(), 'kms:resourcealiases', ['alias/payments', 'alias/legacy']],
  ['kms:KeySpec is absent for a request on no key (CreateKey passes its own)', facts({ key: undefined }), 'kms:keyspec', undefined],
  ['kms:RequestAlias and other operation keys come from the operation', facts({ extra: { 'kms:requestalias': 'alias/payments' } }), 'kms:requestalias', 'alias/payments'],
  ['kms:RequestAlias is absent when the key was named by id', facts(), 'kms:requestalias', undefined],
  ['kms:GrantOperations comes from CreateGrant as a set', facts({ extra: { 'kms:grantoperations': ['Encrypt', 'Decrypt'] } }), 'kms:grantoperations', ['Encrypt', 'Decrypt']],
  ['kms:EncryptionAlgorithm comes from the operation', facts({ extra: { 'kms:encryptionalgorithm': 'SYMMETRIC_DEFAULT' } }), 'kms:encryptionalgorithm', 'SYMMETRIC_DEFAULT'],
  ['aws:PrincipalArn of a user is the user\'s ARN', facts({ principal: user }), 'aws:principalarn', `arn:aws:iam::${ACCOUNT}:user/ops/alice`],
  ['aws:PrincipalArn of an assumed-role session is the role\'s ARN, not the session\'s', facts({ principal: session }), 'aws:principalarn', 'arn:aws:iam::444455556666:role/provider'],
  ['aws:PrincipalAccount is the caller\'s account', facts({ principal: session }), 'aws:principalaccount', '444455556666'],
  ['aws:PrincipalType of an account root is Account', facts(), 'aws:principaltype', 'Account'],
  ['aws:PrincipalType of a session is AssumedRole', facts({ principal: session }), 'aws:principaltype', 'AssumedRole'],
  ['aws:userid of a session is role id and session name', facts({ principal: session }), 'aws:userid', 'AROAPROVIDER:job-1'],
  ['aws:username is the user\'s name without its path', facts({ principal: user }), 'aws:username', 'alice'],
  ['aws:username is absent for a session', facts({ principal: session }), 'aws:username', undefined],
  ['aws:SourceIp is the connection\'s address', facts(), 'aws:sourceip', '203.0.113.7'],
  ['aws:SecureTransport is true over TLS', facts(), 'aws:securetransport', 'true'],
  ['aws:SecureTransport is false over plain HTTP', facts({ origin: { sourceIp: '127.0.0.1', secureTransport: false } }), 'aws:securetransport', 'false'],
  ['aws:CurrentTime is the request time in ISO 8601', facts(), 'aws:currenttime', '2026-11-23T12:30:00.000Z'],
  ['aws:EpochTime is the request time in seconds', facts(), 'aws:epochtime', String(now.getTime() / 1000)],
  ['aws:TokenIssueTime is when temporary credentials were issued', facts({ principal: session }), 'aws:tokenissuetime', issued.toISOString()],
  ['aws:TokenIssueTime is absent for long-term credentials', facts(), 'aws:tokenissuetime', undefined],
  ['aws:ResourceTag/<key> is looked up without regard to the tag key\'s case', facts(), 'aws:resourcetag/costcenter', 'Ops-1'],
  ['aws:RequestTag/<key> and aws:TagKeys come from the operation', facts({ extra: { 'aws:requesttag/env': 'prod', 'aws:tagkeys': ['env'] } }), 'aws:requesttag/env', 'prod'],
  ['aws:MultiFactorAuthPresent is false: keyhold has no MFA', facts(), 'aws:multifactorauthpresent', 'false'],
];

for (const [name, f, key, expected] of cases) {
  test(name, () => assert.deepEqual(requestContext(f).values.get(key), expected));
}

test('the context names the caller, the role of a session, the action and the resource', () => {
  const ctx = requestContext(facts({ principal: session, action: 'kms:Decrypt' }));
  assert.deepEqual([ctx.principalArn, ctx.principalAccount, ctx.roleArn, ctx.action, ctx.resource], [session.arn, '444455556666', session.roleArn, 'kms:Decrypt', record.arn]);
});

test('a condition value is computed only when a policy asks for it', () => {
  let asked = 0;
  const ctx = requestContext(facts({ key: { record, aliases: () => (asked++, []), tags: () => [] } }));
  assert.equal(ctx.values.get('kms:keyspec'), 'SYMMETRIC_DEFAULT');
  assert.equal(asked, 0);
  ctx.values.get('kms:resourcealiases');
  assert.equal(asked, 1);
});

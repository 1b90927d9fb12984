// Grant request rules, table-driven: principal ARNs, operations per key usage, constraints and
// grant ids, each case named after the rule of the AWS KMS API reference it checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KmsError } from '../../core/errors.js';
import type { KeyRecord, KeyUsage } from '../../core/keys.js';
import type { GrantOperation } from '../../policy/grants.js';
import { apiConstraints, checkGrantId, checkPrincipalArn, constraintContext, constraintsText, grantConstraints, grantOperationsFor } from './grant-checks.js';

/** The error type `fn` throws, or 'ok'. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof KmsError) return err.type;
    throw err;
  }
}

const principals: [string, string][] = [
  ['arn:aws:iam::111122223333:root', 'ok'],
  ['arn:aws:iam::111122223333:user/alice', 'ok'],
  ['arn:aws:iam::111122223333:user/division/team/alice', 'ok'],
  ['arn:aws:iam::111122223333:role/app+role=x,y.z@w_v-1', 'ok'],
  ['arn:aws:sts::111122223333:assumed-role/app/session-1', 'ok'],
  ['111122223333', 'InvalidArnException'],
  ['alice', 'InvalidArnException'],
  ['arn:aws:iam::1111:user/alice', 'InvalidArnException'],
  ['arn:aws:iam::111122223333:group/admins', 'InvalidArnException'],
  ['arn:aws:iam::111122223333:user/', 'InvalidArnException'],
  ['arn:aws:iam::111122223333:user//alice', 'InvalidArnException'],
  ['arn:aws:sts::111122223333:assumed-role/app', 'InvalidArnException'],
  ['arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'InvalidArnException'],
  ['arn:aws-cn:iam::111122223333:root', 'InvalidArnException'],
  ['arn:aws:iam::111122223333:root/extra', 'InvalidArnException'],
];
for (const [arn, expected] of principals) {
  test(`grantee principal ${arn}: ${expected}`, () => assert.equal(outcome(() => checkPrincipalArn(arn)), expected));
}

test('a principal that is not an ARN is refused with AWS\'s message', () => {
  assert.throws(() => checkPrincipalArn('alice'), { message: 'ARN does not refer to a valid principal: alice' });
});

const keyOf = (keyUsage: KeyUsage): KeyRecord => ({
  id: '1234abcd-12ab-34cd-56ef-1234567890ab', accountId: '111122223333', region: 'us-east-1',
  arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', createdAt: new Date(0), description: '',
  keySpec: 'SYMMETRIC_DEFAULT', keyUsage, origin: 'AWS_KMS', state: 'Enabled', policy: '', deletionDate: null, pendingWindowDays: null, currentMaterialId: null, rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 0, keyManager: 'CUSTOMER', validTo: null,
});

const operationCases: [string, KeyUsage, GrantOperation[], string][] = [
  ['a symmetric key takes the encryption and data key operations', 'ENCRYPT_DECRYPT', ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'], 'ok'],
  ['every key takes CreateGrant, RetireGrant and DescribeKey', 'SIGN_VERIFY', ['CreateGrant', 'RetireGrant', 'DescribeKey'], 'ok'],
  ['a symmetric key refuses Sign', 'ENCRYPT_DECRYPT', ['Encrypt', 'Sign'], 'ValidationException'],
  ['a symmetric key refuses GenerateMac', 'ENCRYPT_DECRYPT', ['GenerateMac'], 'ValidationException'],
  ['a signing key refuses GenerateDataKey', 'SIGN_VERIFY', ['GenerateDataKey'], 'ValidationException'],
  ['an HMAC key takes GenerateMac and VerifyMac', 'GENERATE_VERIFY_MAC', ['GenerateMac', 'VerifyMac'], 'ok'],
  ['a key agreement key takes DeriveSharedSecret', 'KEY_AGREEMENT', ['DeriveSharedSecret', 'GetPublicKey'], 'ok'],
  ['an empty operation list is refused', 'ENCRYPT_DECRYPT', [], 'ValidationException'],
  ['CreateGrant alone is refused', 'ENCRYPT_DECRYPT', ['CreateGrant', 'CreateGrant'], 'ValidationException'],
  ['CreateGrant with another operation is allowed', 'ENCRYPT_DECRYPT', ['CreateGrant', 'DescribeKey'], 'ok'],
];
for (const [name, usage, ops, expected] of operationCases) {
  test(`grant operations: ${name}`, () => assert.equal(outcome(() => grantOperationsFor(keyOf(usage), ops)), expected));
}

test('grant operations: duplicates are kept once, in the order given', () => {
  assert.deepEqual(grantOperationsFor(keyOf('ENCRYPT_DECRYPT'), ['Encrypt', 'Decrypt', 'Encrypt']), ['Encrypt', 'Decrypt']);
});

const eightPairs = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, 'v']));
const constraintCases: [string, Parameters<typeof grantConstraints>[0], GrantOperation[], string][] = [
  ['no Constraints is no constraint', undefined, ['Encrypt'], 'ok'],
  ['EncryptionContextSubset with context operations', { EncryptionContextSubset: { tenant: 'acme' } }, ['Encrypt', 'Decrypt'], 'ok'],
  ['constraints may accompany DescribeKey, RetireGrant and CreateGrant', { EncryptionContextEquals: { tenant: 'acme' } }, ['Decrypt', 'DescribeKey', 'RetireGrant', 'CreateGrant'], 'ok'],
  ['constraints are refused with an operation that takes no context', { EncryptionContextEquals: { tenant: 'acme' } }, ['Sign'], 'ValidationException'],
  ['eight pairs are allowed', { EncryptionContextSubset: eightPairs }, ['Encrypt'], 'ok'],
  ['nine pairs are refused', { EncryptionContextSubset: { ...eightPairs, k8: 'v' } }, ['Encrypt'], 'ValidationException'],
  ['384 characters are allowed', { EncryptionContextEquals: { k: 'v'.repeat(383) } }, ['Encrypt'], 'ok'],
  ['385 characters are refused', { EncryptionContextEquals: { k: 'v'.repeat(384) } }, ['Encrypt'], 'ValidationException'],
  ['keys that differ only by case are refused', { EncryptionContextSubset: { Tenant: 'a', tenant: 'b' } }, ['Encrypt'], 'ValidationException'],
  ['SourceArn is not supported', { SourceArn: 'arn:aws:s3:::bucket/111122223333:x' }, ['Encrypt'], 'UnsupportedOperationException'],
];
for (const [name, api, ops, expected] of constraintCases) {
  test(`grant constraints: ${name}`, () => assert.equal(outcome(() => grantConstraints(api, ops)), expected));
}

test('grant constraints: stored text is the same for the same pairs in any order, and reads back', () => {
  const a = grantConstraints({ EncryptionContextSubset: { b: '2', a: '1' } }, ['Encrypt']);
  const b = grantConstraints({ EncryptionContextSubset: { a: '1', b: '2' } }, ['Encrypt']);
  assert.equal(constraintsText(a), constraintsText(b));
  assert.deepEqual(apiConstraints(constraintsText(a)), { EncryptionContextSubset: { a: '1', b: '2' } });
  assert.equal(constraintsText(undefined), null);
  assert.equal(apiConstraints(null), undefined);
});

test('grant constraints: an empty Constraints object is no constraint', () => {
  assert.equal(grantConstraints({}, ['Encrypt']), undefined);
});

test('the condition keys see the constraints\' pairs as the request\'s encryption context', () => {
  assert.deepEqual(constraintContext({ EncryptionContextSubset: { a: '1' }, EncryptionContextEquals: { b: '2' } }), { a: '1', b: '2' });
  assert.equal(constraintContext(undefined), undefined);
  assert.equal(constraintContext({}), undefined);
});

const grantIds: [string, string][] = [
  ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'ok'],
  ['0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef', 'InvalidGrantIdException'],
  ['0123456789abcdef', 'InvalidGrantIdException'],
  ['not-a-grant-id', 'InvalidGrantIdException'],
];
for (const [id, expected] of grantIds) {
  test(`grant id ${id}: ${expected}`, () => assert.equal(outcome(() => checkGrantId(id)), expected));
}

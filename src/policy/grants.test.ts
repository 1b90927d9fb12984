// Grant matching, table-driven: each case is named after the rule of the AWS KMS API reference it checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constraintsAtLeastAsStrict, grantAllows, type GrantConstraints, type GrantRequest, type GrantRule } from './grants.js';

const ROLE = 'arn:aws:iam::111122223333:role/provider';
const SESSION = 'arn:aws:sts::111122223333:assumed-role/provider/s1';
const USER = 'arn:aws:iam::111122223333:user/alice';

const grant = (over: Partial<GrantRule> = {}): GrantRule => ({ granteePrincipal: ROLE, operations: ['Decrypt', 'DescribeKey'], constraints: undefined, ...over });
const request = (over: Partial<GrantRequest> = {}): GrantRequest => ({ principalArn: SESSION, roleArn: ROLE, operation: 'Decrypt', encryptionContext: {}, ...over });

const allowCases: [string, GrantRule, GrantRequest, boolean][] = [
  ['a grant to a role covers that role\'s sessions', grant(), request(), true],
  ['a grant to a role does not cover another principal', grant(), request({ principalArn: USER, roleArn: undefined }), false],
  ['a grant to a user covers that user', grant({ granteePrincipal: USER }), request({ principalArn: USER, roleArn: undefined }), true],
  ['a grant to one session covers that session only', grant({ granteePrincipal: SESSION }), request(), true],
  ['an operation not in the grant is not allowed', grant(), request({ operation: 'Encrypt' }), false],
  ['EncryptionContextSubset allows a request whose context contains the pairs', grant({ constraints: { encryptionContextSubset: { tenant: 'acme' } } }), request({ encryptionContext: { tenant: 'acme', extra: '1' } }), true],
  ['EncryptionContextSubset refuses a request missing a pair', grant({ constraints: { encryptionContextSubset: { tenant: 'acme' } } }), request({ encryptionContext: { extra: '1' } }), false],
  ['EncryptionContextSubset refuses a different value', grant({ constraints: { encryptionContextSubset: { tenant: 'acme' } } }), request({ encryptionContext: { tenant: 'other' } }), false],
  ['EncryptionContextEquals allows exactly the same pairs', grant({ constraints: { encryptionContextEquals: { tenant: 'acme' } } }), request({ encryptionContext: { tenant: 'acme' } }), true],
  ['EncryptionContextEquals refuses an extra pair', grant({ constraints: { encryptionContextEquals: { tenant: 'acme' } } }), request({ encryptionContext: { tenant: 'acme', extra: '1' } }), false],
  ['EncryptionContextEquals refuses an empty context', grant({ constraints: { encryptionContextEquals: { tenant: 'acme' } } }), request({ encryptionContext: {} }), false],
  ['constraint keys are not case sensitive', grant({ constraints: { encryptionContextEquals: { Tenant: 'acme' } } }), request({ encryptionContext: { tENANT: 'acme' } }), true],
  ['constraint values are case sensitive', grant({ constraints: { encryptionContextSubset: { tenant: 'acme' } } }), request({ encryptionContext: { tenant: 'ACME' } }), false],
  ['constraints do not apply to DescribeKey', grant({ constraints: { encryptionContextEquals: { tenant: 'acme' } } }), request({ operation: 'DescribeKey', encryptionContext: undefined }), true],
  ['constraints do not apply to RetireGrant', grant({ operations: ['RetireGrant'], constraints: { encryptionContextEquals: { tenant: 'acme' } } }), request({ operation: 'RetireGrant', encryptionContext: undefined }), true],
  ['both constraints must hold when both are set', grant({ constraints: { encryptionContextEquals: { a: '1', b: '2' }, encryptionContextSubset: { a: '1' } } }), request({ encryptionContext: { a: '1', b: '2' } }), true],
];
for (const [name, g, r, expected] of allowCases) {
  test(`grant: ${name}`, () => assert.equal(grantAllows(g, r), expected));
}

const strictCases: [string, GrantConstraints | undefined, GrantConstraints | undefined, boolean][] = [
  ['an unconstrained parent allows any child', undefined, undefined, true],
  ['a constrained parent refuses an unconstrained child', { encryptionContextSubset: { t: 'a' } }, undefined, false],
  ['a subset parent allows a child subset with more pairs', { encryptionContextSubset: { t: 'a' } }, { encryptionContextSubset: { t: 'a', u: 'b' } }, true],
  ['a subset parent refuses a child subset missing a pair', { encryptionContextSubset: { t: 'a', u: 'b' } }, { encryptionContextSubset: { t: 'a' } }, false],
  ['a subset parent allows a child equals that contains its pairs', { encryptionContextSubset: { t: 'a' } }, { encryptionContextEquals: { t: 'a', u: 'b' } }, true],
  ['an equals parent allows the same equals child', { encryptionContextEquals: { t: 'a' } }, { encryptionContextEquals: { T: 'a' } }, true],
  ['an equals parent refuses a subset child', { encryptionContextEquals: { t: 'a' } }, { encryptionContextSubset: { t: 'a' } }, false],
  ['an equals parent refuses a different equals child', { encryptionContextEquals: { t: 'a' } }, { encryptionContextEquals: { t: 'a', u: 'b' } }, false],
];
for (const [name, parent, child, expected] of strictCases) {
  test(`CreateGrant through a grant: ${name}`, () => assert.equal(constraintsAtLeastAsStrict(parent, child), expected));
}

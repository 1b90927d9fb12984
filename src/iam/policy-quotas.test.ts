// IAM's policy size quotas (white space not counted), the policy grammar per kind, and the
// RFC 3986 encoding of documents in responses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KmsError } from '../core/errors.js';
import { QueryError } from '../server/query/action.js';
import type { InlinePolicyRecord } from '../store/identity-records.js';
import { checkInlinePolicy, checkTrustPolicy, policySize } from './policy-quotas.js';
import { encodePolicyDocument } from './shapes.js';

const statement = (resource: string): string => JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'kms:*', Resource: resource } });
const owner = { kind: 'user', accountId: '111122223333', name: 'u' } as const;
const stored = (document: string): InlinePolicyRecord => ({ owner, policyName: 'other', document });
/** A valid identity policy of exactly `size` counted characters. */
const sized = (size: number): string => {
  const text = statement('');
  return statement('x'.repeat(size - policySize(text)));
};

const limitExceeded = (message: string) => (err: unknown): boolean => err instanceof QueryError && err.code === 'LimitExceeded' && err.message === message;
const malformed = (err: unknown): boolean => err instanceof KmsError && err.type === 'MalformedPolicyDocumentException';

test('white space does not count toward a policy\'s size', () => {
  assert.equal(policySize('{ "a" :\n\t"b c" }'), '{"a":"bc"}'.length);
});

test('a user\'s inline policies may total 2048 characters, not one more', () => {
  checkInlinePolicy('user', sized(2048), []);
  assert.throws(() => checkInlinePolicy('user', sized(2049), []), limitExceeded('Cannot exceed quota for UserPolicySize: 2048'));
  checkInlinePolicy('user', sized(1024), [stored(sized(1024))]);
  assert.throws(() => checkInlinePolicy('user', sized(1025), [stored(sized(1024))]), limitExceeded('Cannot exceed quota for UserPolicySize: 2048'));
});

test('a role\'s inline policies may total 10240 characters', () => {
  checkInlinePolicy('role', sized(10240), []);
  assert.throws(() => checkInlinePolicy('role', sized(10241), []), limitExceeded('Cannot exceed quota for RolePolicySize: 10240'));
});

test('inline policies are identity policies: a Principal is malformed', () => {
  assert.throws(() => checkInlinePolicy('user', JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' } }), []), malformed);
  assert.throws(() => checkInlinePolicy('user', '{', []), malformed);
});

test('trust policies are parsed as trust policies and limited to 2048 characters', () => {
  const trust = (principal: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' } });
  checkTrustPolicy(trust({ AWS: '111122223333' }));
  assert.throws(() => checkTrustPolicy(statement('*')), malformed);
  const many = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::111122223333:user/user-${i}`);
  assert.throws(() => checkTrustPolicy(trust({ AWS: many })), limitExceeded('Cannot exceed quota for ACLSizePerRole: 2048'));
});

test('documents are returned percent-encoded as RFC 3986 asks: only unreserved characters stay', () => {
  assert.equal(encodePolicyDocument(`{"a": "b!'()*~-._ \u00e9"}`), '%7B%22a%22%3A%20%22b%21%27%28%29%2A~-._%20%C3%A9%22%7D');
  assert.equal(decodeURIComponent(encodePolicyDocument(statement('*'))), statement('*'));
});

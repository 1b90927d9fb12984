// AssumeRole's parameter checks: AWS's constraints and wording, unsupported parameters refused by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryError } from '../server/query/action.js';
import { QueryParams } from '../server/query/form.js';
import { readAssumeRoleInput } from './assume-role-input.js';

const ROLE = 'arn:aws:iam::111122223333:role/reader';
const read = (params: Record<string, string>) =>
  readAssumeRoleInput(QueryParams.parse(new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', ...params }).toString()));

function refusal(params: Record<string, string>): QueryError {
  try {
    read(params);
  } catch (err) {
    assert.ok(err instanceof QueryError);
    return err;
  }
  return assert.fail('the parameters were accepted');
}

test('a minimal request reads RoleArn and RoleSessionName, with nothing else set', () => {
  assert.deepEqual(read({ RoleArn: ROLE, RoleSessionName: 'app' }), {
    roleArn: ROLE, roleSessionName: 'app', durationSeconds: undefined, externalId: undefined, policy: undefined, minimumTokenSize: 0,
  });
});

test('every optional parameter keyhold supports is read', () => {
  const input = read({ RoleArn: ROLE, RoleSessionName: 'a=b,c.d@e-f_+', DurationSeconds: '900', ExternalId: 'x:y/z', Policy: '{}', MinimumSessionTokenSize: '2048' });
  assert.deepEqual([input.roleSessionName, input.durationSeconds, input.externalId, input.policy, input.minimumTokenSize], ['a=b,c.d@e-f_+', 900, 'x:y/z', '{}', 2048]);
});

test('missing RoleArn and RoleSessionName are both reported, in AWS\'s wording', () => {
  const err = refusal({});
  assert.equal(err.code, 'ValidationError');
  assert.equal(err.message, "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
    "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
});

test('RoleSessionName must be 2 to 64 characters of [\\w+=,.@-]', () => {
  assert.equal(refusal({ RoleArn: ROLE, RoleSessionName: 'a' }).message,
    "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2");
  assert.match(refusal({ RoleArn: ROLE, RoleSessionName: 'x'.repeat(65) }).message, /Member must have length less than or equal to 64$/);
  assert.equal(refusal({ RoleArn: ROLE, RoleSessionName: 'has space' }).message,
    "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  assert.equal(read({ RoleArn: ROLE, RoleSessionName: 'x'.repeat(64) }).roleSessionName.length, 64);
});

test('DurationSeconds must be an integer from 900 to 43200', () => {
  assert.match(refusal({ RoleArn: ROLE, RoleSessionName: 'app', DurationSeconds: '899' }).message, /'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900$/);
  assert.match(refusal({ RoleArn: ROLE, RoleSessionName: 'app', DurationSeconds: '43201' }).message, /Member must have value less than or equal to 43200$/);
  assert.match(refusal({ RoleArn: ROLE, RoleSessionName: 'app', DurationSeconds: '1e4' }).message, /Member must be an integer$/);
  assert.equal(read({ RoleArn: ROLE, RoleSessionName: 'app', DurationSeconds: '43200' }).durationSeconds, 43200);
});

test('ExternalId must be 2 to 1224 characters of [\\w+=,.@:/-], and is never echoed', () => {
  assert.match(refusal({ RoleArn: ROLE, RoleSessionName: 'app', ExternalId: 'x' }).message, /'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2$/);
  assert.match(refusal({ RoleArn: ROLE, RoleSessionName: 'app', ExternalId: 'x'.repeat(1225) }).message, /less than or equal to 1224$/);
  const err = refusal({ RoleArn: ROLE, RoleSessionName: 'app', ExternalId: 'secret value' });
  assert.match(err.message, /Member must satisfy regular expression pattern/);
  assert.doesNotMatch(err.message, /secret value/);
});

test('Policy is limited to 2048 characters of tab, newline, return and \\u0020-\\u00FF', () => {
  const long = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: 'x'.repeat(2048) }] });
  assert.equal(refusal({ RoleArn: ROLE, RoleSessionName: 'app', Policy: long }).message,
    "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048");
  assert.match(refusal({ RoleArn: ROLE, RoleSessionName: 'app', Policy: '{"\u2603":1}' }).message, /'policy' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  assert.match(refusal({ RoleArn: ROLE, RoleSessionName: 'app', Policy: '' }).message, /'policy' failed to satisfy constraint: Member must have length greater than or equal to 1$/);
  const pretty = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*', Sid: 'caf\u00e9' }] }, null, '\t') + '\r\n';
  assert.equal(read({ RoleArn: ROLE, RoleSessionName: 'app', Policy: pretty }).policy, pretty);
});

test('a RoleArn that is not ARN-shaped is "<arn> is invalid"; a short one breaks the length constraint', () => {
  assert.equal(refusal({ RoleArn: 'arn:aws:iam::role/nothing-here', RoleSessionName: 'app' }).message, 'arn:aws:iam::role/nothing-here is invalid');
  assert.match(refusal({ RoleArn: 'arn:aws:iam', RoleSessionName: 'app' }).message, /'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20$/);
  // ARN-shaped but naming no role keyhold has is left to authorisation (AccessDenied).
  assert.equal(read({ RoleArn: 'arn:aws:iam::111122223333:user/alice', RoleSessionName: 'app' }).roleArn, 'arn:aws:iam::111122223333:user/alice');
});

test('session tags, managed session policies, source identity, MFA and trusted contexts are refused by name', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'red' }, /session tags \(Tags\)/],
    [{ 'TransitiveTagKeys.member.1': 'team' }, /TransitiveTagKeys/],
    [{ 'PolicyArns.member.1.arn': 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, /managed session policies \(PolicyArns\)/],
    [{ SourceIdentity: 'alice' }, /SourceIdentity/],
    [{ SerialNumber: 'arn:aws:iam::111122223333:mfa/alice', TokenCode: '123456' }, /MFA/],
    [{ 'ProvidedContexts.member.1.ProviderArn': 'arn:aws:iam::aws:contextProvider/IdentityCenter' }, /ProvidedContexts/],
  ];
  for (const [extra, message] of cases) {
    const err = refusal({ RoleArn: ROLE, RoleSessionName: 'app', ...extra });
    assert.equal(err.code, 'ValidationError');
    assert.match(err.message, message);
    assert.match(err.message, /^keyhold does not support /);
  }
});

test('an empty list (`Tags=`, as the SDKs send []) asks for nothing and is accepted', () => {
  assert.equal(read({ RoleArn: ROLE, RoleSessionName: 'app', Tags: '', PolicyArns: '' }).roleArn, ROLE);
});

test('a parameter AssumeRole does not have is refused rather than ignored', () => {
  assert.equal(refusal({ RoleArn: ROLE, RoleSessionName: 'app', DurationSecond: '900' }).message, 'AssumeRole has no parameter named "DurationSecond".');
});

// Request parameters against their constraints, with AWS's ValidationError wording.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryError } from '../server/query/action.js';
import { QueryParams } from '../server/query/form.js';
import { ACCESS_KEY_STATUSES, MAX_SESSION_DURATION, PATH, POLICY_DOCUMENT, ROLE_NAME, USER_NAME } from './fields.js';
import { fromParam, optional, optionalInteger, readInput, refuseUnsupported, required, requiredEnum } from './input.js';

const params = (values: Record<string, string>): QueryParams => new QueryParams(new Map(Object.entries(values)));

function validationMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof QueryError);
    assert.equal(err.code, 'ValidationError');
    assert.equal(err.status, 400);
    return err.message;
  }
  return assert.fail('no ValidationError');
}

test('valid parameters are returned by their names; absent optional ones are undefined', () => {
  const input = readInput(params({ UserName: 'a.b@c', MaxSessionDuration: '7200' }), {
    UserName: required(USER_NAME), Path: optional(PATH), MaxSessionDuration: optionalInteger(MAX_SESSION_DURATION),
  });
  assert.deepEqual(input, { UserName: 'a.b@c', Path: undefined, MaxSessionDuration: 7200 });
});

test('a missing required parameter is "Value null … Member must not be null"', () => {
  assert.equal(validationMessage(() => readInput(params({}), { UserName: required(USER_NAME) })),
    "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
});

test('a name outside the pattern quotes the value and the pattern as AWS does', () => {
  assert.equal(validationMessage(() => readInput(params({ UserName: 'a/b' }), { UserName: required(USER_NAME) })),
    "1 validation error detected: Value 'a/b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
});

test('every problem of a request is reported at once, separated by semicolons', () => {
  const message = validationMessage(() => readInput(params({ RoleName: 'r'.repeat(65), Path: 'x', MaxSessionDuration: '43201' }), {
    RoleName: required(ROLE_NAME), Path: optional(PATH), MaxSessionDuration: optionalInteger(MAX_SESSION_DURATION),
  }));
  assert.equal(message, [
    '3 validation errors detected: ',
    `Value '${'r'.repeat(65)}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64; `,
    "Value 'x' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); ",
    "Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
  ].join(''));
});

test('an empty value breaks the minimum length only', () => {
  assert.equal(validationMessage(() => readInput(params({ UserName: '' }), { UserName: required(USER_NAME) })),
    "1 validation error detected: Value '' at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1");
});

test('a policy document is never quoted back', () => {
  const message = validationMessage(() => readInput(params({ PolicyDocument: '{"x":"\u2603"}' }), { PolicyDocument: required(POLICY_DOCUMENT) }));
  assert.equal(message, "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
});

test('a quoted value cannot break the XML: control characters become U+FFFD and long values are cut', () => {
  const message = validationMessage(() => readInput(params({ UserName: `a\u0000b\uFFFE${'x'.repeat(300)}` }), { UserName: required(USER_NAME) }));
  assert.match(message, /Value 'a\uFFFDb\uFFFDx+\.\.\.' at 'userName'/);
  assert.ok(!message.includes('\u0000') && !message.includes('\uFFFE'));
});

test('integers must be whole numbers in range', () => {
  const read = (value: string) => () => readInput(params({ MaxItems: value }), { MaxItems: optionalInteger({ min: 1, max: 1000 }) });
  assert.match(validationMessage(read('1.5')), /Value '1\.5' at 'maxItems' failed to satisfy constraint: Member must be an integer between 1 and 1000$/);
  assert.match(validationMessage(read('99999999999999999999')), /be an integer/);
  assert.match(validationMessage(read('0')), /Member must have value greater than or equal to 1$/);
  assert.deepEqual(readInput(params({ MaxItems: '1000' }), { MaxItems: optionalInteger({ min: 1, max: 1000 }) }), { MaxItems: 1000 });
});

test('an enum names its values', () => {
  assert.equal(validationMessage(() => readInput(params({ Status: 'Expired' }), { Status: requiredEnum(ACCESS_KEY_STATUSES) })),
    "1 validation error detected: Value 'Expired' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
});

test('fromParam reads a parameter chosen at run time and names its member', () => {
  assert.deepEqual(readInput(params({ RoleName: 'r' }), { Owner: fromParam('RoleName', required(ROLE_NAME)) }), { Owner: 'r' });
  assert.match(validationMessage(() => readInput(params({}), { Owner: fromParam('RoleName', required(ROLE_NAME)) })), /at 'roleName'/);
});

test('unsupported parameters are refused, not ignored', () => {
  assert.throws(() => refuseUnsupported(params({ 'Tags.member.1.Key': 'k' }), 'CreateUser', ['PermissionsBoundary', 'Tags']),
    (err: unknown) => err instanceof QueryError && err.code === 'InvalidInput' && /Tags parameter of CreateUser/.test(err.message));
  assert.throws(() => refuseUnsupported(params({ PermissionsBoundary: 'arn' }), 'CreateRole', ['PermissionsBoundary', 'Tags']), QueryError);
  refuseUnsupported(params({ UserName: 'u', TagsAndMore: 'x' }), 'CreateUser', ['PermissionsBoundary', 'Tags']);
});

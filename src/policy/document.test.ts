// Policy parsing, table-driven: each case is named after the rule of the IAM JSON policy element
// reference (or the AWS KMS Developer Guide) it checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KmsError } from '../core/errors.js';
import { parsePolicy } from './document.js';
import type { PolicyKind } from './types.js';

const ROOT = 'arn:aws:iam::111122223333:root';
type Json = Record<string, unknown>;

const keyStatement = (over: Json = {}): Json => ({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', ...over });
const idStatement = (over: Json = {}): Json => ({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*', ...over });
const doc = (...statements: Json[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const without = (o: Json, ...keys: string[]): Json => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/** [rule, document text, kind, a fragment the message must contain] */
const rejections: [string, string, PolicyKind, string][] = [
  ['a document must be valid JSON', '{"Version": "2012-10-17", "Statement": [', 'key', 'not valid JSON'],
  ['a document must be a JSON object, not an array', '[]', 'key', 'JSON object'],
  ['a document must be a JSON object, not a string', '"policy"', 'key', 'JSON object'],
  ['a document must be a JSON object, not null', 'null', 'key', 'JSON object'],
  ['unknown top-level elements are refused', JSON.stringify({ Version: '2012-10-17', Statement: [keyStatement()], Extra: 1 }), 'key', 'unknown top-level element "Extra"'],
  ['top-level element names are case sensitive', JSON.stringify({ version: '2012-10-17', Statement: [keyStatement()] }), 'key', 'unknown top-level element "version"'],
  ['Version must be 2012-10-17 or 2008-10-17', JSON.stringify({ Version: '2020-01-01', Statement: [keyStatement()] }), 'key', 'Version'],
  ['Version cannot be null', JSON.stringify({ Version: null, Statement: [keyStatement()] }), 'key', 'Version'],
  ['Version must be a string', JSON.stringify({ Version: 2012, Statement: [keyStatement()] }), 'key', 'Version'],
  ['Id must be a string', JSON.stringify({ Id: 7, Statement: [keyStatement()] }), 'key', 'Id must be a string'],
  ['Statement is required', JSON.stringify({ Version: '2012-10-17' }), 'key', 'Statement element is missing'],
  ['Statement must be an object or an array', JSON.stringify({ Version: '2012-10-17', Statement: 'Allow' }), 'key', 'Statement must be an object'],
  ['a key policy must have at least one statement', doc(), 'key', 'at least one statement'],
  ['each statement must be an object', JSON.stringify({ Statement: [keyStatement(), 'x'] }), 'key', 'Statement 1: each statement must be an object'],
  ['unknown statement elements are refused', doc(keyStatement({ Actions: 'kms:*' })), 'key', 'unknown statement element "Actions"'],
  ['statement element names are case sensitive', doc(keyStatement({ effect: 'Allow' })), 'key', 'unknown statement element "effect"'],
  ['Effect must be Allow or Deny', doc(keyStatement({ Effect: 'Permit' })), 'key', 'Effect must be'],
  ['Effect is case sensitive', doc(keyStatement({ Effect: 'allow' })), 'key', 'Effect must be'],
  ['Effect is required', doc(without(keyStatement(), 'Effect')), 'key', 'Effect must be'],
  ['Sid must be a string', doc(keyStatement({ Sid: 1 })), 'key', 'Sid must be a string'],
  ['Sid must be unique within a policy', doc(keyStatement({ Sid: 'A' }), keyStatement({ Sid: 'A' })), 'key', 'Statement 1 (Sid "A"): duplicate Sid'],
  ['a statement cannot have both Action and NotAction', doc(keyStatement({ NotAction: 'kms:Decrypt' })), 'key', 'both Action and NotAction'],
  ['a statement must have Action or NotAction', doc(without(keyStatement(), 'Action')), 'key', 'Action or NotAction'],
  ['a statement cannot have both Resource and NotResource', doc(keyStatement({ NotResource: 'arn:aws:kms:*' })), 'key', 'both Resource and NotResource'],
  ['a key policy statement requires Resource', doc(without(keyStatement(), 'Resource')), 'key', 'Resource or NotResource'],
  ['an identity policy statement requires Resource', doc(without(idStatement(), 'Resource')), 'identity', 'Resource or NotResource'],
  ['a session policy statement requires Resource', doc(without(idStatement(), 'Resource')), 'session', 'Resource or NotResource'],
  ['a statement cannot have both Principal and NotPrincipal', doc(keyStatement({ Effect: 'Deny', NotPrincipal: { AWS: ROOT } })), 'key', 'both Principal and NotPrincipal'],
  ['a key policy statement must have a Principal', doc(without(keyStatement(), 'Principal')), 'key', 'must have a Principal'],
  ['a trust policy statement must have a Principal', doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'trust', 'must have a Principal'],
  ['an identity policy cannot have a Principal', doc(idStatement({ Principal: '*' })), 'identity', 'cannot have Principal'],
  ['a session policy cannot have a Principal', doc(idStatement({ Principal: { AWS: ROOT } })), 'session', 'cannot have Principal'],
  ['an identity policy cannot have a NotPrincipal', doc(idStatement({ Effect: 'Deny', NotPrincipal: { AWS: ROOT } })), 'identity', 'cannot have Principal or NotPrincipal'],
  ['NotPrincipal must be used with Deny', doc(without(keyStatement({ NotPrincipal: { AWS: ROOT } }), 'Principal')), 'key', 'NotPrincipal can only be used with'],
  ['a trust policy cannot use NotPrincipal', doc({ Effect: 'Deny', NotPrincipal: { AWS: ROOT }, Action: 'sts:AssumeRole' }), 'trust', 'cannot use NotPrincipal'],
  ['Principal must be "*" or an object', doc(keyStatement({ Principal: ROOT })), 'key', 'Principal must be "*" or an object'],
  ['Principal must name at least one principal', doc(keyStatement({ Principal: {} })), 'key', 'at least one principal'],
  ['Principal types are AWS, Service, Federated, CanonicalUser', doc(keyStatement({ Principal: { IAM: ROOT } })), 'key', 'unknown principal type "IAM"'],
  ['an AWS principal must not be a partial account id', doc(keyStatement({ Principal: { AWS: '11112222333' } })), 'key', 'Principal.AWS entry "11112222333"'],
  ['an AWS principal cannot use a wildcard inside an ARN', doc(keyStatement({ Principal: { AWS: 'arn:aws:iam::111122223333:user/*' } })), 'key', 'Principal.AWS entry'],
  ['an AWS principal cannot be a group', doc(keyStatement({ Principal: { AWS: 'arn:aws:iam::111122223333:group/admins' } })), 'key', 'Principal.AWS entry'],
  ['an AWS principal ARN needs a 12-digit account', doc(keyStatement({ Principal: { AWS: 'arn:aws:iam::1111:root' } })), 'key', 'Principal.AWS entry'],
  ['an assumed-role principal needs role and session names', doc(keyStatement({ Principal: { AWS: 'arn:aws:sts::111122223333:assumed-role/r' } })), 'key', 'Principal.AWS entry'],
  ['AWS principal entries must be strings', doc(keyStatement({ Principal: { AWS: [ROOT, 5] } })), 'key', 'entries must be non-empty strings'],
  ['an AWS principal list must not be empty', doc(keyStatement({ Principal: { AWS: [] } })), 'key', 'must not be an empty list'],
  ['a Service principal must be a service name', doc(keyStatement({ Principal: { Service: 'not a service' } })), 'key', 'Principal.Service entry'],
  ['an action must be a service:action pattern', doc(keyStatement({ Action: 'Encrypt' })), 'key', 'Action "Encrypt" is not a service:action pattern'],
  ['a NotAction must be a service:action pattern', doc(keyStatement({ Action: undefined, NotAction: ['kms:Decrypt', 'kms:'] })), 'key', 'NotAction "kms:"'],
  ['an action list must not be empty', doc(keyStatement({ Action: [] })), 'key', 'Action must not be an empty list'],
  ['actions must be strings', doc(keyStatement({ Action: [1] })), 'key', 'Action entries must be non-empty strings'],
  ['a resource must be a non-empty string', doc(keyStatement({ Resource: '' })), 'key', 'Resource entries must be non-empty strings'],
  ['Condition must be an object', doc(keyStatement({ Condition: [] })), 'key', 'Condition must be an object'],
  ['an unknown condition operator is refused', doc(keyStatement({ Condition: { StringEqualz: { 'kms:CallerAccount': '111122223333' } } })), 'key', 'operator "StringEqualz" is not supported'],
  ['a condition operator block must be an object', doc(keyStatement({ Condition: { StringEquals: 'x' } })), 'key', 'must be an object of condition keys'],
  ['a condition value cannot be null', doc(keyStatement({ Condition: { StringEquals: { 'kms:CallerAccount': null } } })), 'key', 'strings, numbers or Booleans'],
  ['a condition value cannot be an object', doc(keyStatement({ Condition: { StringEquals: { 'kms:CallerAccount': { a: 1 } } } })), 'key', 'strings, numbers or Booleans'],
  ['a condition value list cannot hold an object', doc(keyStatement({ Condition: { StringEquals: { 'kms:CallerAccount': ['1', {}] } } })), 'key', 'strings, numbers or Booleans'],
  ['a condition value list cannot be empty', doc(keyStatement({ Condition: { StringNotEquals: { 'kms:CallerAccount': [] } } })), 'key', 'must not be an empty list'],
  ['a condition value cannot be a nested list', doc(keyStatement({ Condition: { StringEquals: { 'kms:CallerAccount': [['1']] } } })), 'key', 'strings, numbers or Booleans'],
  ['a key policy Action cannot be null', doc(keyStatement({ Action: null })), 'key', 'Action entries must be non-empty strings'],
  ['a condition key given twice in two cases is ambiguous', doc(keyStatement({ Condition: { StringEquals: { 'kms:CallerAccount': '1', 'KMS:calleraccount': '2' } } })), 'key', 'twice'],
  ['a condition value its operator cannot compare is refused', doc(keyStatement({ Condition: { NumericLessThan: { 'kms:RotationPeriodInDays': 'soon' } } })), 'key', 'Statement 0'],
  ['the error names the statement by index and Sid', doc(keyStatement({ Sid: 'Admins' }), keyStatement({ Sid: 'Users', Effect: 'Maybe' })), 'key', 'Statement 1 (Sid "Users"): Effect'],
  ['a document over 32768 bytes is refused', JSON.stringify({ Version: '2012-10-17', Id: 'x'.repeat(32768), Statement: [keyStatement()] }), 'key', 'exceeds 32768 bytes'],
];

for (const [rule, text, kind, fragment] of rejections) {
  test(`parse rejects: ${rule}`, () => {
    assert.throws(
      () => parsePolicy(text, kind),
      (error: unknown) => {
        assert.ok(error instanceof KmsError, 'a KmsError');
        assert.equal(error.type, 'MalformedPolicyDocumentException');
        assert.ok(error.message.includes(fragment), `message ${JSON.stringify(error.message)} should contain ${JSON.stringify(fragment)}`);
        assert.ok(error.message.length < 300, 'the message never quotes the whole document');
        return true;
      },
    );
  });
}

test('parse rejects: invalid JSON is reported without quoting the document', () => {
  const secretish = '{"Statement": [{"Sid": "do-not-echo-this-text", ';
  assert.throws(() => parsePolicy(secretish, 'key'), (e: unknown) => e instanceof KmsError && !e.message.includes('do-not-echo'));
});

test('normalise: a missing Version defaults to 2008-10-17', () => {
  const parsed = parsePolicy(JSON.stringify({ Statement: keyStatement() }), 'key');
  assert.equal(parsed.version, '2008-10-17');
});

test('normalise: Version 2012-10-17 and Id are kept', () => {
  const parsed = parsePolicy(JSON.stringify({ Version: '2012-10-17', Id: 'key-default-1', Statement: [keyStatement()] }), 'key');
  assert.equal(parsed.version, '2012-10-17');
  assert.equal(parsed.id, 'key-default-1');
});

test('normalise: a single Statement object becomes a one-statement list', () => {
  const parsed = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: keyStatement({ Sid: 'One' }) }), 'key');
  assert.equal(parsed.statements.length, 1);
  assert.equal(parsed.statements[0]?.sid, 'One');
});

test('normalise: string Action, Resource and principals become lists', () => {
  const st = parsePolicy(doc(keyStatement()), 'key').statements[0];
  assert.deepEqual(st?.action, ['kms:*']);
  assert.deepEqual(st?.resource, ['*']);
  assert.deepEqual(st?.principal, { any: false, aws: [ROOT], service: [] });
  assert.equal(st?.notAction, undefined);
  assert.equal(st?.notResource, undefined);
  assert.deepEqual(st?.conditions, []);
});

test('normalise: Principal "*" sets any', () => {
  const st = parsePolicy(doc(keyStatement({ Principal: '*' })), 'key').statements[0];
  assert.deepEqual(st?.principal, { any: true, aws: [], service: [] });
});

test('normalise: Principal {"AWS": "*"} sets any', () => {
  const st = parsePolicy(doc(keyStatement({ Principal: { AWS: '*' } })), 'key').statements[0];
  assert.equal(st?.principal?.any, true);
});

test('normalise: every AWS principal form is accepted', () => {
  const aws = ['111122223333', ROOT, 'arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/division/team/bob',
    'arn:aws:iam::444455556666:role/Admin', 'arn:aws:sts::444455556666:assumed-role/Admin/alice@example.com'];
  const st = parsePolicy(doc(keyStatement({ Principal: { AWS: aws, Service: 'ec2.amazonaws.com' } })), 'key').statements[0];
  assert.deepEqual(st?.principal, { any: false, aws, service: ['ec2.amazonaws.com'] });
});

test('normalise: condition keys are lower-cased, operators kept as written', () => {
  const st = parsePolicy(doc(keyStatement({ Condition: { StringEquals: { 'kms:EncryptionContext:Tenant': 'Acme', 'kms:CallerAccount': ['111122223333'] } } })), 'key').statements[0];
  assert.deepEqual(st?.conditions, [
    { operator: 'StringEquals', key: 'kms:encryptioncontext:tenant', values: ['Acme'] },
    { operator: 'StringEquals', key: 'kms:calleraccount', values: ['111122223333'] },
  ]);
});

test('normalise: numeric and Boolean condition values become strings', () => {
  const st = parsePolicy(doc(keyStatement({ Condition: { NumericLessThanEquals: { 'kms:RotationPeriodInDays': 365 }, Bool: { 'aws:SecureTransport': [true, false] } } })), 'key').statements[0];
  assert.deepEqual(st?.conditions.map((c) => c.values), [['365'], ['true', 'false']]);
});

test('normalise: NotAction and NotResource are kept as lists', () => {
  const st = parsePolicy(doc(idStatement({ Effect: 'Deny', Action: undefined, NotAction: 'kms:Describe*', Resource: undefined, NotResource: 'arn:aws:kms:*:111122223333:key/*' })), 'identity').statements[0];
  assert.deepEqual(st?.notAction, ['kms:Describe*']);
  assert.deepEqual(st?.notResource, ['arn:aws:kms:*:111122223333:key/*']);
  assert.equal(st?.principal, undefined);
});

test('normalise: a key policy Deny may use NotPrincipal', () => {
  const st = parsePolicy(doc(without(keyStatement({ Effect: 'Deny', NotPrincipal: { AWS: [ROOT] } }), 'Principal')), 'key').statements[0];
  assert.deepEqual(st?.notPrincipal, { any: false, aws: [ROOT], service: [] });
});

test('normalise: a trust policy statement may omit Resource', () => {
  const st = parsePolicy(doc({ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'sts:AssumeRole' }), 'trust').statements[0];
  assert.equal(st?.resource, undefined);
});

test('normalise: key policy Sids may contain spaces (KMS Developer Guide, key policy format)', () => {
  const st = parsePolicy(doc(keyStatement({ Sid: 'Enable IAM User Permissions' })), 'key').statements[0];
  assert.equal(st?.sid, 'Enable IAM User Permissions');
});

test('normalise: the parsed document is frozen', () => {
  const parsed = parsePolicy(doc(keyStatement()), 'key');
  assert.ok(Object.isFrozen(parsed) && Object.isFrozen(parsed.statements) && Object.isFrozen(parsed.statements[0]));
});

test('normalise: a document of exactly 32768 bytes is accepted', () => {
  const base = JSON.stringify({ Version: '2012-10-17', Id: '', Statement: [keyStatement()] });
  const text = JSON.stringify({ Version: '2012-10-17', Id: 'x'.repeat(32768 - base.length), Statement: [keyStatement()] });
  assert.equal(text.length, 32768);
  assert.equal(parsePolicy(text, 'key').statements.length, 1);
});

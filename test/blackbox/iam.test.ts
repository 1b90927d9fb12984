// The IAM subset through the official @aws-sdk/client-iam against the real server: users, roles,
// access keys and inline policies; a new user's key signing KMS requests under its inline policy,
// deactivated and deleted keys refused at once; AWS's errors as the SDK's typed exceptions; and
// no bad input answered with a 500.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, DeleteRoleCommand, DeleteRolePolicyCommand,
  DeleteUserCommand, DeleteUserPolicyCommand, GetRoleCommand, GetRolePolicyCommand, GetUserCommand, GetUserPolicyCommand, IAMClient,
  ListAccessKeysCommand, ListRolePoliciesCommand, ListRolesCommand, ListUserPoliciesCommand, ListUsersCommand, PutRolePolicyCommand,
  PutUserPolicyCommand, UpdateAccessKeyCommand, UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { signHeaders } from '../harness/raw-http.js';
import { serverForFile, testCredentials, type RunningServer } from '../harness/server.js';

const ACCOUNT = '000000000000';
let server: RunningServer;
let iam: IAMClient;
serverForFile((s) => {
  server = s;
  iam = iamAs(testCredentials);
});

type Credentials = { readonly accessKeyId: string; readonly secretAccessKey: string };
const iamAs = (credentials: Credentials): IAMClient => new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
const kmsAs = (credentials: Credentials): KMSClient => new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });

const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string | string[]): object => ({ Effect: 'Allow', Action: action, Resource: '*' });
const trust = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });

/** Asserts the call fails as the SDK's `name` with HTTP `status`; returns the message. */
async function fails(call: Promise<unknown>, name: string, status: number): Promise<string> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return e.message;
  }
  return assert.fail(`expected ${name}`);
}

/** A user with an access key, for tests that sign as an IAM user. */
async function userWithKey(name: string, ...statements: object[]): Promise<Credentials & { readonly name: string }> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (statements.length > 0) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy(...statements) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { name, accessKeyId: AccessKey?.AccessKeyId ?? '', secretAccessKey: AccessKey?.SecretAccessKey ?? '' };
}

test('users: create with a path, get (names ignore case), list by path prefix and page, delete', async () => {
  const { User } = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/eng/' }));
  assert.equal(User?.Arn, `arn:aws:iam::${ACCOUNT}:user/eng/alice`);
  assert.match(User?.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
  assert.ok(User?.CreateDate instanceof Date);
  const got = await iam.send(new GetUserCommand({ UserName: 'ALICE' }));
  assert.deepEqual(got.User, User);
  await fails(iam.send(new CreateUserCommand({ UserName: 'Alice' })), 'EntityAlreadyExistsException', 409);

  for (const name of ['bob', 'carol', 'dave']) await iam.send(new CreateUserCommand({ UserName: name, Path: '/ops/' }));
  const eng = await iam.send(new ListUsersCommand({ PathPrefix: '/eng/' }));
  assert.deepEqual(eng.Users?.map((u) => u.UserName), ['alice']);
  const first = await iam.send(new ListUsersCommand({ PathPrefix: '/ops/', MaxItems: 2 }));
  assert.deepEqual([first.Users?.map((u) => u.UserName), first.IsTruncated], [['bob', 'carol'], true]);
  const rest = await iam.send(new ListUsersCommand({ PathPrefix: '/ops/', MaxItems: 2, Marker: first.Marker }));
  assert.deepEqual([rest.Users?.map((u) => u.UserName), rest.IsTruncated, rest.Marker], [['dave'], false, undefined]);

  await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
  const message = await fails(iam.send(new GetUserCommand({ UserName: 'alice' })), 'NoSuchEntityException', 404);
  assert.equal(message, 'The user with name alice cannot be found.');
  await fails(iam.send(new DeleteUserCommand({ UserName: 'alice' })), 'NoSuchEntityException', 404);
});

test('roles: create with trust policy, description and duration; read back URL-encoded; update the trust policy; delete', async () => {
  const { Role } = await iam.send(new CreateRoleCommand({
    RoleName: 'reader', AssumeRolePolicyDocument: trust, Path: '/app/', Description: 'reads things', MaxSessionDuration: 7200,
  }));
  assert.equal(Role?.Arn, `arn:aws:iam::${ACCOUNT}:role/app/reader`);
  assert.match(Role?.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
  // The SDK hands the document over as AWS sends it: URL-encoded (RFC 3986).
  assert.equal(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''), trust);
  const got = await iam.send(new GetRoleCommand({ RoleName: 'reader' }));
  assert.equal(got.Role?.AssumeRolePolicyDocument, encodeURIComponent(trust));
  assert.deepEqual([got.Role?.Description, got.Role?.MaxSessionDuration, got.Role?.Path], ['reads things', 7200, '/app/']);
  const listed = await iam.send(new ListRolesCommand({ PathPrefix: '/app/' }));
  assert.deepEqual(listed.Roles?.map((r) => r.RoleName), ['reader']);

  const narrower = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, Action: 'sts:AssumeRole' });
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'reader', PolicyDocument: narrower }));
  const updated = await iam.send(new GetRoleCommand({ RoleName: 'reader' }));
  assert.equal(decodeURIComponent(updated.Role?.AssumeRolePolicyDocument ?? ''), narrower);

  await fails(iam.send(new CreateRoleCommand({ RoleName: 'READER', AssumeRolePolicyDocument: trust })), 'EntityAlreadyExistsException', 409);
  await iam.send(new DeleteRoleCommand({ RoleName: 'reader' }));
  const message = await fails(iam.send(new GetRoleCommand({ RoleName: 'reader' })), 'NoSuchEntityException', 404);
  assert.equal(message, 'The role with name reader cannot be found.');
});

/** The four inline-policy actions of one user or role, the same shape for both. */
interface PolicyActions {
  readonly kind: 'user' | 'role';
  put(PolicyName: string, PolicyDocument: string): Promise<unknown>;
  get(PolicyName: string): Promise<{ PolicyDocument?: string | undefined }>;
  list(MaxItems?: number, Marker?: string): Promise<{ PolicyNames?: string[] | undefined; IsTruncated?: boolean | undefined; Marker?: string | undefined }>;
  delete(PolicyName: string): Promise<unknown>;
}

const userPolicies = (UserName: string): PolicyActions => ({
  kind: 'user',
  put: (PolicyName, PolicyDocument) => iam.send(new PutUserPolicyCommand({ UserName, PolicyName, PolicyDocument })),
  get: (PolicyName) => iam.send(new GetUserPolicyCommand({ UserName, PolicyName })),
  list: (MaxItems, Marker) => iam.send(new ListUserPoliciesCommand({ UserName, MaxItems, Marker })),
  delete: (PolicyName) => iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName })),
});

const rolePolicies = (RoleName: string): PolicyActions => ({
  kind: 'role',
  put: (PolicyName, PolicyDocument) => iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument })),
  get: (PolicyName) => iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })),
  list: (MaxItems, Marker) => iam.send(new ListRolePoliciesCommand({ RoleName, MaxItems, Marker })),
  delete: (PolicyName) => iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
});

/** RFC 3986 percent-encoding, as AWS returns policy documents. */
const rfc3986 = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

test('inline policies of users and roles: put, get (URL-encoded), list and page, replace, delete', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'erin' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'writer', AssumeRolePolicyDocument: trust }));
  const doc = policy({ Sid: 'a(b)', ...allow(['kms:Encrypt', 'kms:Decrypt']) });
  for (const owner of [userPolicies('erin'), rolePolicies('writer')]) {
    await owner.put('use', doc);
    await owner.put('also', policy(allow('kms:ListKeys')));
    const got = await owner.get('use');
    assert.equal(got.PolicyDocument, rfc3986(doc));
    assert.equal(decodeURIComponent(got.PolicyDocument ?? ''), doc);
    const page = await owner.list(1);
    assert.deepEqual([page.PolicyNames, page.IsTruncated], [['also'], true]);
    const next = await owner.list(undefined, page.Marker);
    assert.deepEqual([next.PolicyNames, next.IsTruncated], [['use'], false]);
    await owner.put('use', policy(allow('kms:Sign')));
    assert.match(decodeURIComponent((await owner.get('use')).PolicyDocument ?? ''), /kms:Sign/);
    await owner.delete('use');
    await owner.delete('also');
    const message = await fails(owner.get('use'), 'NoSuchEntityException', 404);
    assert.equal(message, `The ${owner.kind} policy with name use cannot be found.`);
    await fails(owner.delete('use'), 'NoSuchEntityException', 404);
  }
  await fails(userPolicies('nobody').put('p', doc), 'NoSuchEntityException', 404);
  await fails(rolePolicies('nobody').list(), 'NoSuchEntityException', 404);
  await iam.send(new DeleteUserCommand({ UserName: 'erin' }));
  await iam.send(new DeleteRoleCommand({ RoleName: 'writer' }));
});

test('a user\'s access key signs KMS requests, allowed only by its inline policy', async () => {
  const frank = await userWithKey('frank');
  assert.match(frank.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  await fails(kmsAs(frank).send(new ListKeysCommand({})), 'AccessDeniedException', 400);
  await iam.send(new PutUserPolicyCommand({ UserName: 'frank', PolicyName: 'list', PolicyDocument: policy(allow('kms:ListKeys')) }));
  await kmsAs(frank).send(new ListKeysCommand({}));
  await iam.send(new DeleteUserPolicyCommand({ UserName: 'frank', PolicyName: 'list' }));
  await fails(kmsAs(frank).send(new ListKeysCommand({})), 'AccessDeniedException', 400);
});

test('UpdateAccessKey Inactive refuses the very next request; Active again restores it; DeleteAccessKey refuses at once', async () => {
  const gina = await userWithKey('gina', allow('kms:ListKeys'));
  const kms = kmsAs(gina);
  await kms.send(new ListKeysCommand({}));
  await iam.send(new UpdateAccessKeyCommand({ UserName: 'gina', AccessKeyId: gina.accessKeyId, Status: 'Inactive' }));
  await fails(kms.send(new ListKeysCommand({})), 'UnrecognizedClientException', 400);
  const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: 'gina' }));
  assert.deepEqual(AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status, k.UserName]), [[gina.accessKeyId, 'Inactive', 'gina']]);
  await iam.send(new UpdateAccessKeyCommand({ UserName: 'gina', AccessKeyId: gina.accessKeyId, Status: 'Active' }));
  await kms.send(new ListKeysCommand({}));
  await iam.send(new DeleteAccessKeyCommand({ UserName: 'gina', AccessKeyId: gina.accessKeyId }));
  await fails(kms.send(new ListKeysCommand({})), 'UnrecognizedClientException', 400);
});

test('a user acts on its own access keys without UserName when its policy allows it', async () => {
  const hal = await userWithKey('hal', allow(['iam:ListAccessKeys', 'iam:CreateAccessKey', 'iam:GetUser']));
  const own = iamAs(hal);
  assert.equal((await own.send(new GetUserCommand({}))).User?.UserName, 'hal');
  const { AccessKey } = await own.send(new CreateAccessKeyCommand({}));
  assert.equal(AccessKey?.UserName, 'hal');
  const { AccessKeyMetadata } = await own.send(new ListAccessKeysCommand({}));
  assert.equal(AccessKeyMetadata?.length, 2);
  const message = await fails(own.send(new CreateUserCommand({ UserName: 'mallory' })), 'AccessDenied', 403);
  assert.match(message, /is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user\/mallory/);
  await fails(own.send(new DeleteAccessKeyCommand({ AccessKeyId: AccessKey?.AccessKeyId ?? '' })), 'AccessDenied', 403);
});

test('DeleteUser refuses while the user has access keys or inline policies; a third key exceeds the quota', async () => {
  await userWithKey('ivy', allow('kms:ListKeys'));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'ivy' }));
  const quota = await fails(iam.send(new CreateAccessKeyCommand({ UserName: 'ivy' })), 'LimitExceededException', 409);
  assert.equal(quota, 'Cannot exceed quota for AccessKeysPerUser: 2');
  const keys = await fails(iam.send(new DeleteUserCommand({ UserName: 'ivy' })), 'DeleteConflictException', 409);
  assert.equal(keys, 'Cannot delete entity, must delete access keys first.');
  for (const key of (await iam.send(new ListAccessKeysCommand({ UserName: 'ivy' }))).AccessKeyMetadata ?? []) {
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'ivy', AccessKeyId: key.AccessKeyId }));
  }
  const policies = await fails(iam.send(new DeleteUserCommand({ UserName: 'ivy' })), 'DeleteConflictException', 409);
  assert.equal(policies, 'Cannot delete entity, must delete policies first.');
  await iam.send(new DeleteUserPolicyCommand({ UserName: 'ivy', PolicyName: 'p' }));
  await iam.send(new DeleteUserCommand({ UserName: 'ivy' }));
});

test('a key that is not the named user\'s is NoSuchEntity', async () => {
  const jo = await userWithKey('jo');
  await iam.send(new CreateUserCommand({ UserName: 'kim' }));
  const message = await fails(iam.send(new UpdateAccessKeyCommand({ UserName: 'kim', AccessKeyId: jo.accessKeyId, Status: 'Inactive' })), 'NoSuchEntityException', 404);
  assert.equal(message, `The Access Key with id ${jo.accessKeyId} cannot be found.`);
  await fails(iam.send(new DeleteAccessKeyCommand({ UserName: 'kim', AccessKeyId: testCredentials.accessKeyId })), 'NoSuchEntityException', 404);
});

test('DeleteRole refuses while the role has inline policies', async () => {
  await iam.send(new CreateRoleCommand({ RoleName: 'holder', AssumeRolePolicyDocument: trust }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'holder', PolicyName: 'p', PolicyDocument: policy(allow('kms:*')) }));
  const message = await fails(iam.send(new DeleteRoleCommand({ RoleName: 'holder' })), 'DeleteConflictException', 409);
  assert.equal(message, 'Cannot delete entity, must delete policies first.');
  await iam.send(new DeleteRolePolicyCommand({ RoleName: 'holder', PolicyName: 'p' }));
  await iam.send(new DeleteRoleCommand({ RoleName: 'holder' }));
});

test('policy documents: malformed ones and ones over IAM\'s size quotas are refused', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'lee' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'sized', AssumeRolePolicyDocument: trust }));
  const put = (name: string, doc: string) => iam.send(new PutUserPolicyCommand({ UserName: 'lee', PolicyName: name, PolicyDocument: doc }));
  await fails(put('bad', '{"Statement":'), 'MalformedPolicyDocumentException', 400);
  await fails(put('bad', policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' })), 'MalformedPolicyDocumentException', 400);
  const bigStatement = (n: number) => allow(Array.from({ length: n }, (_, i) => `kms:Action${String(i).padStart(4, '0')}`));
  await put('half', policy(bigStatement(60)));
  const over = await fails(put('more', policy(bigStatement(60))), 'LimitExceededException', 409);
  assert.equal(over, 'Cannot exceed quota for UserPolicySize: 2048');
  // Replacing a policy does not count the one it replaces.
  await put('half', policy(bigStatement(61)));
  await fails(iam.send(new PutRolePolicyCommand({ RoleName: 'sized', PolicyName: 'p', PolicyDocument: policy(bigStatement(700)) })), 'LimitExceededException', 409);
  // Trust policies are parsed as trust policies: they need a Principal; and have a 2048-character quota.
  await fails(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'sized', PolicyDocument: policy(allow('sts:AssumeRole')) })), 'MalformedPolicyDocumentException', 400);
  const principals = Array.from({ length: 80 }, (_, i) => `arn:aws:iam::${ACCOUNT}:user/u${i}`);
  const longTrust = policy({ Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' });
  const message = await fails(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'sized', PolicyDocument: longTrust })), 'LimitExceededException', 409);
  assert.equal(message, 'Cannot exceed quota for ACLSizePerRole: 2048');
  await fails(iam.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: policy(allow('sts:AssumeRole')) })), 'MalformedPolicyDocumentException', 400);
});

test('invalid parameters are ValidationError with AWS\'s wording', async () => {
  const missing = await fails(iam.send(new CreateUserCommand({} as never)), 'ValidationError', 400);
  assert.equal(missing, "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
  const badName = await fails(iam.send(new CreateUserCommand({ UserName: 'no spaces' })), 'ValidationError', 400);
  assert.equal(badName, "1 validation error detected: Value 'no spaces' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  const two = await fails(iam.send(new CreateRoleCommand({ RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: trust, MaxSessionDuration: 60 })), 'ValidationError', 400);
  assert.match(two, /^2 validation errors detected: .*'roleName'.*less than or equal to 64; .*'maxSessionDuration'.*greater than or equal to 3600$/);
  await fails(iam.send(new CreateRoleCommand({ RoleName: 'long', AssumeRolePolicyDocument: trust, MaxSessionDuration: 43201 })), 'ValidationError', 400);
  await fails(iam.send(new CreateUserCommand({ UserName: 'pathy', Path: 'no-slashes' })), 'ValidationError', 400);
  await fails(iam.send(new ListUsersCommand({ MaxItems: 0 })), 'ValidationError', 400);
  await fails(iam.send(new UpdateAccessKeyCommand({ UserName: 'kim', AccessKeyId: 'AKIAAAAAAAAAAAAAAAAA', Status: 'Expired' })), 'ValidationError', 400);
  // The administrator is the account root: it has no IAM user to act on implicitly.
  await fails(iam.send(new CreateAccessKeyCommand({})), 'ValidationError', 400);
});

/** Raw signed IAM requests: every action with missing, malformed, hostile or out-of-range input. */
test('no bad input is answered with a 500', async () => {
  const junk = ['', ' ', 'a'.repeat(5000), '../../etc', '<x>&amp;', '\u0000\u0001', '\uFFFF', '😀', '%ZZ', '-1', '99999999999999999999', '1.5', 'null', '{}'];
  const params = ['UserName', 'RoleName', 'PolicyName', 'PolicyDocument', 'AssumeRolePolicyDocument', 'Path', 'PathPrefix', 'Marker', 'MaxItems', 'AccessKeyId', 'Status', 'Description', 'MaxSessionDuration'];
  const actions = [
    'CreateUser', 'DeleteUser', 'GetUser', 'ListUsers', 'CreateAccessKey', 'DeleteAccessKey', 'ListAccessKeys', 'UpdateAccessKey', 'CreateRole',
    'DeleteRole', 'GetRole', 'ListRoles', 'UpdateAssumeRolePolicy', 'PutUserPolicy', 'PutRolePolicy', 'DeleteUserPolicy', 'DeleteRolePolicy',
    'GetUserPolicy', 'GetRolePolicy', 'ListUserPolicies', 'ListRolePolicies',
  ];
  let i = 0;
  for (const action of actions) {
    for (const value of junk) {
      const form = new URLSearchParams({ Action: action, Version: '2010-05-08' });
      // Each request sets every parameter: most to the junk value, a rotating few to a valid-looking one.
      for (const [n, param] of params.entries()) form.set(param, (n + i) % 3 === 0 ? valid(param) : value);
      i++;
      const body = form.toString();
      const headers = await signHeaders(server.port, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }, { service: 'iam' });
      const res = await fetch(server.url, { method: 'POST', headers, body });
      const text = await res.text();
      assert.ok(res.status >= 200 && res.status < 500, `${action} with ${JSON.stringify(value).slice(0, 40)} answered ${res.status}: ${text.slice(0, 300)}`);
      if (res.status >= 400) assert.match(text, /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>\w+<\/Code>/);
    }
  }
  // The server is still serving, and logged no internal error.
  await iam.send(new ListUsersCommand({}));
  assert.doesNotMatch(server.output(), /internal error/);
});

function valid(param: string): string {
  switch (param) {
    case 'PolicyDocument': return policy(allow('kms:ListKeys'));
    case 'AssumeRolePolicyDocument': return trust;
    case 'Path': case 'PathPrefix': return '/';
    case 'MaxItems': return '10';
    case 'MaxSessionDuration': return '3600';
    case 'Status': return 'Active';
    case 'AccessKeyId': return testCredentials.accessKeyId;
    default: return 'fuzzed';
  }
}

// AssumeRole's sessions: the credentials' shape, what the store keeps of them, how long they
// last, their session policy, and their end (expiry, a deleted role, cleanup).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, test } from 'node:test';
import { DAY_MS } from '../core/clock.js';
import { KmsError } from '../core/errors.js';
import { QueryError } from '../server/query/action.js';
import { HOME, addRole, assumeRole, authenticate, credentialsIn, openFixture, rootOf, trust, trusting, type Fixture } from './testing.js';

let fx: Fixture;
beforeEach(async () => void (fx = await openFixture()));
afterEach(() => fx.close());

const trustHome = trust(trusting(`arn:aws:iam::${HOME}:root`));
const kmsOnly = (action: string): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

async function rejection(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof QueryError) return { code: err.code, message: err.message };
    if (err instanceof KmsError) return { code: err.type, message: err.message };
    throw err;
  }
  return assert.fail('the call succeeded');
}

test('credentials are AWS-shaped: ASIA + 16, a 40-character secret, a long token; an hour by default', async () => {
  const role = await addRole(fx, 'app', trustHome);
  const result = await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app' });
  const c = credentialsIn(result);
  assert.match(c.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.match(c.SecretAccessKey, /^[A-Za-z0-9+/]{40}$/);
  assert.match(c.SessionToken, /^[A-Za-z0-9+/]{352}$/);
  assert.equal(c.Expiration.getTime(), fx.clock.now().getTime() + 3600_000);
  assert.equal(result['SessionTokenSize'], 352);
  assert.equal(result['PackedPolicySize'], undefined);
  const again = credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app' }));
  assert.notEqual(again.AccessKeyId, c.AccessKeyId);
  assert.notEqual(again.SessionToken, c.SessionToken);
});

test('the store keeps the secret only wrapped and the token only as its SHA-256', async () => {
  const role = await addRole(fx, 'app', trustHome);
  const c = credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app' }));
  const stored = await fx.store.read((tx) => tx.getSession(c.AccessKeyId));
  assert.ok(stored);
  assert.equal(stored.tokenHash, createHash('sha256').update(c.SessionToken).digest('hex'));
  assert.equal(stored.wrappedSecret.includes(Buffer.from(c.SecretAccessKey)), false);
  const everything = JSON.stringify(stored) + stored.wrappedSecret.toString('latin1');
  assert.equal(everything.includes(c.SessionToken), false);
  assert.equal(everything.includes(c.SecretAccessKey), false);
  // The wrapped secret opens only for this access key.
  assert.equal(fx.deps.root.unwrap(stored.wrappedSecret, `session:${c.AccessKeyId}`)?.toString('utf8'), c.SecretAccessKey);
  assert.equal(fx.deps.root.unwrap(stored.wrappedSecret, 'session:ASIAOTHER'), null);
});

test('MinimumSessionTokenSize lengthens the token', async () => {
  const role = await addRole(fx, 'app', trustHome);
  const result = await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app', MinimumSessionTokenSize: '4096' });
  assert.equal(credentialsIn(result).SessionToken.length, 4096);
  assert.equal(result['SessionTokenSize'], 4096);
});

test('DurationSeconds runs from 900 up to the role\'s MaxSessionDuration', async () => {
  const role = await addRole(fx, 'long', trustHome, { maxSessionDurationSeconds: 7200 });
  const short = credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app', DurationSeconds: '900' }));
  assert.equal(short.Expiration.getTime() - fx.clock.now().getTime(), 900_000);
  const longest = credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app', DurationSeconds: '7200' }));
  assert.equal(longest.Expiration.getTime() - fx.clock.now().getTime(), 7200_000);
  assert.deepEqual(await rejection(assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app', DurationSeconds: '7201' })),
    { code: 'ValidationError', message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' });
});

test('the role\'s MaxSessionDuration is not revealed to a caller the role does not trust', async () => {
  const role = await addRole(fx, 'private', trust(trusting('arn:aws:iam::444455556666:root')));
  assert.equal((await rejection(assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app', DurationSeconds: '43200' }))).code, 'AccessDenied');
});

test('a session policy is kept with the session and reported as PackedPolicySize; a malformed one is refused', async () => {
  const role = await addRole(fx, 'app', trustHome);
  const policy = kmsOnly('kms:Encrypt');
  const result = await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app', Policy: policy });
  assert.equal(result['PackedPolicySize'], Math.ceil((policy.length * 100) / 2048));
  const principal = await authenticate(fx, credentialsIn(result));
  assert.deepEqual(principal.sessionPolicy?.statements.map((s) => s.action), [['kms:Encrypt']]);
  const withPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] });
  assert.equal((await rejection(assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app', Policy: withPrincipal }))).code, 'MalformedPolicyDocumentException');
  assert.equal((await rejection(assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app', Policy: '{not json' }))).code, 'MalformedPolicyDocumentException');
});

test('the session gets the role\'s inline policies, read when it is used', async () => {
  const role = await addRole(fx, 'app', trustHome);
  const c = credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app' }));
  assert.equal((await authenticate(fx, c)).identityPolicies.length, 0);
  await fx.store.transaction((tx) => tx.putInlinePolicy({ owner: { kind: 'role', accountId: HOME, name: 'app' }, policyName: 'kms', document: kmsOnly('kms:*') }));
  assert.equal((await authenticate(fx, c)).identityPolicies.length, 1);
});

test('a wrong token, no token, expiry and a deleted role each end the credentials', async () => {
  const role = await addRole(fx, 'app', trustHome);
  const c = credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app', DurationSeconds: '900' }));
  const flipped = (c.SessionToken.startsWith('A') ? 'B' : 'A') + c.SessionToken.slice(1);
  assert.equal((await rejection(authenticate(fx, c, flipped))).code, 'UnrecognizedClientException');
  assert.equal((await rejection(fx.deps.identities.authenticate(c.AccessKeyId, undefined, fx.clock.now()))).code, 'UnrecognizedClientException');
  fx.clock.advance(899_000);
  await authenticate(fx, c);
  fx.clock.advance(1_000);
  assert.deepEqual(await rejection(authenticate(fx, c)), { code: 'ExpiredTokenException', message: 'The security token included in the request is expired' });

  const live = credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app' }));
  await authenticate(fx, live);
  await fx.store.transaction((tx) => tx.deleteRole(HOME, 'app'));
  assert.equal((await rejection(authenticate(fx, live))).code, 'UnrecognizedClientException');
});

test("a new role of a deleted role's name does not revive the old role's sessions", async () => {
  const role = await addRole(fx, 'app', trustHome);
  const old = credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app' }));
  await fx.store.transaction((tx) => tx.deleteRole(HOME, 'app'));
  fx.clock.advance(1_000);
  await addRole(fx, 'app', trustHome, { roleId: 'AROANEWROLE000000000' });
  assert.equal((await rejection(authenticate(fx, old))).code, 'UnrecognizedClientException');
});

test('AssumeRole removes sessions that expired more than a day ago, and keeps recently expired ones', async () => {
  const role = await addRole(fx, 'app', trustHome);
  const old = credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'old', DurationSeconds: '900' }));
  fx.clock.advance(DAY_MS);
  const recent = credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'recent', DurationSeconds: '900' }));
  fx.clock.advance(900_000 + 1);
  await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'sweeper' });
  assert.equal(await fx.store.read((tx) => tx.getSession(old.AccessKeyId)), undefined);
  assert.ok(await fx.store.read((tx) => tx.getSession(recent.AccessKeyId)));
  assert.equal((await rejection(authenticate(fx, recent))).code, 'ExpiredTokenException');
});

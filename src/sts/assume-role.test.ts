// AssumeRole's decisions: who the trust policy lets in (same account, cross-account, ExternalId,
// identity and session policies), and that every refusal reads the same.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { Principal } from '../auth/principal.js';
import { QueryError } from '../server/query/action.js';
import { HOME, OTHER, addRole, assumeRole, authenticate, credentialsIn, openFixture, rootOf, trust, trusting, userOf, type Fixture } from './testing.js';

let fx: Fixture;
beforeEach(async () => void (fx = await openFixture()));
afterEach(() => fx.close());

const HOME_ROOT = `arn:aws:iam::${HOME}:root`;
const OTHER_ROOT = `arn:aws:iam::${OTHER}:root`;
const allowAssume = (resource = '*'): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resource }] });

async function refused(principal: Principal, params: Record<string, string>): Promise<QueryError> {
  try {
    await assumeRole(fx, principal, { RoleSessionName: 'app', ...params });
  } catch (err) {
    assert.ok(err instanceof QueryError, String(err));
    return err;
  }
  return assert.fail('AssumeRole was allowed');
}

const deniedMessage = (caller: string, roleArn: string): string => `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;

test('a trust policy naming the account lets its root assume the role; the session acts as the role', async () => {
  const role = await addRole(fx, 'reader', trust(trusting(HOME_ROOT)));
  const result = await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'nightly' });
  assert.deepEqual(result['AssumedRoleUser'], { AssumedRoleId: `${role.roleId}:nightly`, Arn: `arn:aws:sts::${HOME}:assumed-role/reader/nightly` });
  const principal = await authenticate(fx, credentialsIn(result));
  assert.deepEqual(
    [principal.type, principal.arn, principal.userId, principal.roleArn, principal.accountId, principal.tokenIssuedAt?.getTime()],
    ['AssumedRole', `arn:aws:sts::${HOME}:assumed-role/reader/nightly`, `${role.roleId}:nightly`, role.arn, HOME, fx.clock.now().getTime()],
  );
});

test('a missing role, a role of a disabled account and a trust policy that does not allow are refused alike', async () => {
  const closed = await addRole(fx, 'closed', trust(trusting(OTHER_ROOT)));
  const elsewhere = await addRole(fx, 'elsewhere', trust(trusting(HOME_ROOT)), { accountId: OTHER });
  await fx.store.transaction((tx) => tx.setAccountStatus(OTHER, 'Disabled'));
  for (const roleArn of [`arn:aws:iam::${HOME}:role/missing`, closed.arn, elsewhere.arn, `arn:aws:iam::999999999999:role/x`, `arn:aws-cn:iam::${HOME}:role/closed`]) {
    const err = await refused(rootOf(HOME), { RoleArn: roleArn });
    assert.deepEqual([err.code, err.status, err.message], ['AccessDenied', 403, deniedMessage(HOME_ROOT, roleArn)]);
  }
});

test('the role ARN must name the role exactly: another path or case of its name is no role', async () => {
  const role = await addRole(fx, 'Reader', trust(trusting(HOME_ROOT)), { path: '/team/', arn: `arn:aws:iam::${HOME}:role/team/Reader` });
  await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app' });
  for (const wrong of [`arn:aws:iam::${HOME}:role/Reader`, `arn:aws:iam::${HOME}:role/team/reader`]) {
    assert.equal((await refused(rootOf(HOME), { RoleArn: wrong })).code, 'AccessDenied');
  }
});

test('a trust policy with an sts:ExternalId condition needs exactly that ExternalId', async () => {
  const role = await addRole(fx, 'vendor', trust(trusting(HOME_ROOT, { Condition: { StringEquals: { 'sts:ExternalId': 'ext-1234' } } })));
  assert.equal((await refused(rootOf(HOME), { RoleArn: role.arn })).code, 'AccessDenied');
  const wrong = await refused(rootOf(HOME), { RoleArn: role.arn, ExternalId: 'ext-9999' });
  assert.equal(wrong.message, deniedMessage(HOME_ROOT, role.arn));
  await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'app', ExternalId: 'ext-1234' });
});

test('sts:RoleSessionName is a condition key of the request', async () => {
  const role = await addRole(fx, 'named', trust(trusting(HOME_ROOT, { Condition: { StringLike: { 'sts:RoleSessionName': 'ci-*' } } })));
  await assumeRole(fx, rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'ci-build' });
  assert.equal((await refused(rootOf(HOME), { RoleArn: role.arn, RoleSessionName: 'laptop' })).code, 'AccessDenied');
});

test('a trust policy naming the user lets it in; one naming only the account needs its identity policy too', async () => {
  const direct = await addRole(fx, 'direct', trust(trusting(`arn:aws:iam::${HOME}:user/alice`)));
  const delegated = await addRole(fx, 'delegated', trust(trusting(HOME_ROOT)));
  await assumeRole(fx, userOf(HOME, 'alice'), { RoleArn: direct.arn, RoleSessionName: 'app' });
  assert.equal((await refused(userOf(HOME, 'alice'), { RoleArn: delegated.arn })).message, deniedMessage(`arn:aws:iam::${HOME}:user/alice`, delegated.arn));
  await assumeRole(fx, userOf(HOME, 'alice', allowAssume(delegated.arn)), { RoleArn: delegated.arn, RoleSessionName: 'app' });
  // Another user of the account is not named by the direct trust.
  assert.equal((await refused(userOf(HOME, 'bob', allowAssume()), { RoleArn: direct.arn })).code, 'AccessDenied');
});

test('a Deny in the caller\'s identity policy refuses even where the trust policy names it', async () => {
  const role = await addRole(fx, 'direct', trust(trusting(`arn:aws:iam::${HOME}:user/alice`)));
  const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'sts:*', Resource: '*' }] });
  assert.equal((await refused(userOf(HOME, 'alice', deny), { RoleArn: role.arn })).message, deniedMessage(`arn:aws:iam::${HOME}:user/alice`, role.arn));
});

test('cross-account: the trust policy must name the other account, and its user needs an identity policy too', async () => {
  const shared = await addRole(fx, 'shared', trust(trusting(OTHER_ROOT)));
  const alice = `arn:aws:iam::${OTHER}:user/alice`;
  const forAlice = await addRole(fx, 'for-alice', trust(trusting(alice)));
  const result = await assumeRole(fx, rootOf(OTHER), { RoleArn: shared.arn, RoleSessionName: 'partner' });
  const principal = await authenticate(fx, credentialsIn(result));
  // The session belongs to the role's account, not the caller's.
  assert.deepEqual([principal.accountId, principal.arn], [HOME, `arn:aws:sts::${HOME}:assumed-role/shared/partner`]);
  // Named directly but from another account: the user's own account must allow it as well.
  assert.equal((await refused(userOf(OTHER, 'alice'), { RoleArn: forAlice.arn })).message, deniedMessage(alice, forAlice.arn));
  await assumeRole(fx, userOf(OTHER, 'alice', allowAssume(forAlice.arn)), { RoleArn: forAlice.arn, RoleSessionName: 'app' });
  // A trust policy naming its own account does not let another account in.
  const local = await addRole(fx, 'local', trust(trusting(HOME_ROOT)));
  assert.equal((await refused(rootOf(OTHER), { RoleArn: local.arn })).message, deniedMessage(OTHER_ROOT, local.arn));
});

test('a trust policy that no longer parses trusts nobody', async () => {
  const role = await addRole(fx, 'broken', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}');
  assert.equal((await refused(rootOf(HOME), { RoleArn: role.arn })).code, 'AccessDenied');
});

test('role chaining: a session may assume a role its trust policy allows, limited to one hour', async () => {
  const first = await addRole(fx, 'first', trust(trusting(HOME_ROOT)), { maxSessionDurationSeconds: 43200 });
  const second = await addRole(fx, 'second', trust(trusting(first.arn)), { maxSessionDurationSeconds: 43200 });
  const session = await authenticate(fx, credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: first.arn, RoleSessionName: 'hop1', DurationSeconds: '43200' })));
  const chained = await refused(session, { RoleArn: second.arn, DurationSeconds: '3601' });
  assert.deepEqual([chained.code, chained.message], ['ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.']);
  const result = await assumeRole(fx, session, { RoleArn: second.arn, RoleSessionName: 'hop2', DurationSeconds: '3600' });
  assert.equal(credentialsIn(result).Expiration.getTime(), fx.clock.now().getTime() + 3600_000);
  // The trust policy names the role, not its sessions' account: the root alone is not in.
  assert.equal((await refused(rootOf(HOME), { RoleArn: second.arn })).code, 'AccessDenied');
});

test('a chained session\'s own session policy can refuse the next AssumeRole', async () => {
  const first = await addRole(fx, 'first', trust(trusting(HOME_ROOT)));
  const second = await addRole(fx, 'second', trust(trusting(first.arn)));
  const narrow = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] });
  const session = await authenticate(fx, credentialsIn(await assumeRole(fx, rootOf(HOME), { RoleArn: first.arn, RoleSessionName: 'hop1', Policy: narrow })));
  assert.equal((await refused(session, { RoleArn: second.arn })).message, deniedMessage(`arn:aws:sts::${HOME}:assumed-role/first/hop1`, second.arn));
});

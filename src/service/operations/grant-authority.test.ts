// The two grant rules the pipeline does not decide alone: creating grants through a grant (only
// narrower ones) and who may retire a grant, over real parsed policies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Principal } from '../../auth/principal.js';
import type { KeyBackend } from '../../backends/key-backend.js';
import { KmsError } from '../../core/errors.js';
import type { KeyRecord } from '../../core/keys.js';
import { parsePolicy } from '../../policy/document.js';
import type { GrantOperation } from '../../policy/grants.js';
import type { GrantRecord } from '../../store/identity-records.js';
import { CachedKey } from '../key-cache.js';
import { coversChild, requireCreateGrantAuthority, requireRetireAuthority, retireAllowed, type ChildGrant } from './grant-authority.js';
import { defaultKeyPolicy } from './policy-text.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const now = new Date(Date.UTC(2026, 0, 1));
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
const ROLE = `arn:aws:iam::${OTHER}:role/app`;

const identity = (...statements: object[]) => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'identity');
const user = (arn: string, ...statements: object[]): Principal => ({
  accountId: arn.split(':')[4] ?? '', arn, accessKeyId: 'AKIAUSER', type: 'IAMUser', userId: 'AIDAUSER',
  identityPolicies: statements.length > 0 ? [identity(...statements)] : [], isAdmin: false,
});
const root = (account: string): Principal => ({ accountId: account, arn: `arn:aws:iam::${account}:root`, accessKeyId: 'AKIAROOT', type: 'Root', userId: account, identityPolicies: [], isAdmin: false });
const session: Principal = { accountId: OTHER, arn: `arn:aws:sts::${OTHER}:assumed-role/app/s1`, accessKeyId: 'ASIAS1', type: 'AssumedRole', userId: 'AROA:s1', roleArn: ROLE, identityPolicies: [], isAdmin: false };

const grant = (over: Partial<GrantRecord> = {}): GrantRecord => ({
  grantId: 'a'.repeat(64), keyId: KEY_ID, name: null, granteePrincipal: ALICE, retiringPrincipal: null, operations: ['Decrypt'],
  constraints: null, issuingAccount: ACCOUNT, createdAt: now, ...over,
});

const keyRecord: KeyRecord = {
  id: KEY_ID, accountId: ACCOUNT, region: 'us-east-1', arn: KEY_ARN, createdAt: now, description: '', keySpec: 'SYMMETRIC_DEFAULT',
  keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', state: 'Enabled', policy: defaultKeyPolicy(ACCOUNT), deletionDate: null, pendingWindowDays: null, currentMaterialId: null, rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 0, keyManager: 'CUSTOMER', validTo: null,
};
const key = (...grants: GrantRecord[]): CachedKey => new CachedKey(keyRecord, [], {} as KeyBackend, { grants, aliases: [], tags: [] });

function createOutcome(k: CachedKey, principal: Principal, child: ChildGrant): string {
  try {
    requireCreateGrantAuthority(k, { principal, action: 'kms:CreateGrant', now, origin: undefined }, child);
    return 'Allow';
  } catch (err) {
    if (err instanceof KmsError) return err.type;
    throw err;
  }
}

const parent = grant({ operations: ['Decrypt', 'GenerateDataKey', 'CreateGrant'], constraints: JSON.stringify({ encryptionContextSubset: { dept: 'IT' } }) });
const child = (operations: GrantOperation[], constraints?: ChildGrant['constraints']): ChildGrant => ({ operations, constraints });

const createCases: [string, CachedKey, Principal, ChildGrant, string][] = [
  ['the key policy (the account root) allows any grant', key(), root(ACCOUNT), child(['Encrypt', 'ReEncryptFrom']), 'Allow'],
  ['an IAM policy the key policy delegates to allows any grant', key(), user(BOB, { Effect: 'Allow', Action: 'kms:CreateGrant', Resource: '*' }), child(['Encrypt']), 'Allow'],
  ['a parent grant allows a subset of its operations with stricter constraints', key(parent), user(ALICE), child(['Decrypt'], { encryptionContextEquals: { dept: 'IT' } }), 'Allow'],
  ['a parent grant allows all its operations with the same constraints', key(parent), user(ALICE), child(['Decrypt', 'GenerateDataKey', 'CreateGrant'], { encryptionContextSubset: { dept: 'IT' } }), 'Allow'],
  ['a parent grant refuses an operation it does not have', key(parent), user(ALICE), child(['Decrypt', 'Encrypt'], { encryptionContextSubset: { dept: 'IT' } }), 'AccessDeniedException'],
  ['a parent grant refuses weaker constraints', key(parent), user(ALICE), child(['Decrypt'], { encryptionContextSubset: { other: 'x' } }), 'AccessDeniedException'],
  ['a parent grant refuses a child without constraints', key(parent), user(ALICE), child(['Decrypt']), 'AccessDeniedException'],
  ['another principal\'s parent grant gives nothing', key(parent), user(BOB), child(['Decrypt'], { encryptionContextEquals: { dept: 'IT' } }), 'AccessDeniedException'],
  ['a grant without CreateGrant gives nothing', key(grant({ operations: ['Decrypt'] })), user(ALICE), child(['Decrypt']), 'AccessDeniedException'],
  ['operations from two grants do not add up', key(grant({ operations: ['Decrypt', 'CreateGrant'] }), grant({ grantId: 'b'.repeat(64), operations: ['Encrypt', 'CreateGrant'] })), user(ALICE), child(['Decrypt', 'Encrypt']), 'AccessDeniedException'],
  ['a parent grant whose stored constraints do not parse gives nothing', key(grant({ operations: ['Decrypt', 'CreateGrant'], constraints: '{' })), user(ALICE), child(['Decrypt']), 'AccessDeniedException'],
];
for (const [name, k, principal, c, expected] of createCases) {
  test(`CreateGrant authority: ${name}`, () => assert.equal(createOutcome(k, principal, c), expected));
}

test('CreateGrant authority: a grant to a role covers its sessions', () => {
  assert.equal(coversChild({ granteePrincipal: ROLE, operations: ['Decrypt', 'CreateGrant'], constraints: undefined }, session, child(['Decrypt'])), true);
});

const retireCases: [string, GrantRecord, Principal, boolean, boolean][] = [
  ['the retiring principal may', grant({ retiringPrincipal: BOB }), user(BOB), false, true],
  ['a session of the retiring role may', grant({ retiringPrincipal: ROLE }), session, false, true],
  ['the grantee may when the grant allows RetireGrant', grant({ operations: ['Decrypt', 'RetireGrant'] }), user(ALICE), false, true],
  ['the grantee may not otherwise', grant(), user(ALICE), false, false],
  ['the key\'s account root may', grant(), root(ACCOUNT), true, true],
  ['a principal of the key\'s account may with kms:RetireGrant in its IAM policy', grant(), user(BOB), true, true],
  ['a principal of the key\'s account may not without it', grant(), user(BOB), false, false],
  ['another account\'s root may not', grant(), root(OTHER), true, false],
  ['a principal of a retiring account may with kms:RetireGrant', grant({ retiringPrincipal: `arn:aws:iam::${OTHER}:root` }), user(`arn:aws:iam::${OTHER}:user/carol`), true, true],
];
for (const [name, g, principal, identityAllows, expected] of retireCases) {
  test(`RetireGrant: ${name}`, () => assert.equal(retireAllowed(g, principal, identityAllows), expected));
}

function retireOutcome(g: GrantRecord, principal: Principal): string {
  try {
    requireRetireAuthority(g, KEY_ARN, { principal, now, origin: undefined });
    return 'Allow';
  } catch (err) {
    if (err instanceof KmsError) return err.type;
    throw err;
  }
}

test('RetireGrant: an explicit Deny of kms:RetireGrant in an IAM policy refuses even the retiring principal', () => {
  const denied = user(BOB, { Effect: 'Deny', Action: 'kms:RetireGrant', Resource: '*' });
  assert.equal(retireOutcome(grant({ retiringPrincipal: BOB }), denied), 'AccessDeniedException');
  assert.equal(retireOutcome(grant({ retiringPrincipal: BOB }), user(BOB)), 'Allow');
});

test('RetireGrant: kms:RetireGrant in an IAM policy is needed for a principal that is not named in the grant', () => {
  assert.equal(retireOutcome(grant(), user(BOB)), 'AccessDeniedException');
  assert.equal(retireOutcome(grant(), user(BOB, { Effect: 'Allow', Action: 'kms:RetireGrant', Resource: KEY_ARN })), 'Allow');
});

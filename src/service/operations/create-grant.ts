// CreateGrant: lets a principal use a key for some operations, optionally only under an encryption
// context; in force on the grantee's next request. A named request sent again with the same
// parameters is a retry and returns the same grant with a new token.
import { fail } from '../../core/errors.js';
import type { GrantRecord } from '../../store/identity-records.js';
import { endDryRun } from '../dry-run.js';
import { mutateKey } from '../mutate.js';
import { defineOperation, type ExtraConditions, type Input } from '../operation.js';
import { requireCreateGrantAuthority } from './grant-authority.js';
import { checkPrincipalArn, constraintContext, constraintsText, grantConstraints, grantOperationsFor } from './grant-checks.js';

/** AWS KMS quota: "Grants per KMS key: 50,000". */
export const MAX_GRANTS_PER_KEY = 50_000;
const GRANT_ID_BYTES = 32;

export const CreateGrant = defineOperation({
  name: 'CreateGrant',
  key: {
    from: (i) => i.KeyId,
    action: 'kms:CreateGrant',
    states: 'crypto',
    aliases: false,
    contextOf: (i) => constraintContext(i.Constraints),
    extraOf: createGrantConditions,
  },
  async run({ input, deps, request, grantTokens }, key) {
    if (input.GranteeServicePrincipal !== undefined || input.RetiringServicePrincipal !== undefined) {
      fail('UnsupportedOperationException', 'keyhold has no AWS service principals: use GranteePrincipal and RetiringPrincipal.');
    }
    const grantee = input.GranteePrincipal;
    if (grantee === undefined) fail('ValidationException', 'You must specify either GranteePrincipal or GranteeServicePrincipal.');
    checkPrincipalArn(grantee);
    if (input.RetiringPrincipal !== undefined) checkPrincipalArn(input.RetiringPrincipal);
    const operations = grantOperationsFor(key.record, input.Operations);
    const constraints = grantConstraints(input.Constraints, operations);
    requireCreateGrantAuthority(key, {
      principal: request.principal, action: 'kms:CreateGrant', now: deps.clock.now(), origin: request.origin,
      encryptionContext: constraintContext(input.Constraints), extra: createGrantConditions(input),
    }, { operations, constraints });
    endDryRun(input);
    const wanted: GrantParameters = { granteePrincipal: grantee, retiringPrincipal: input.RetiringPrincipal ?? null, operations, constraints: constraintsText(constraints) };
    const grantId = await mutateKey(deps, key.record.id, 'crypto', async (tx, k) => {
      if (input.Name !== undefined) {
        const named = await tx.getGrantByName(k.id, input.Name);
        if (named && sameParameters(named, wanted)) return named.grantId;
        // Names are unique per key in keyhold's store: another grant under the name is refused.
        if (named) fail('ValidationException', `${k.arn} already has a grant named ${input.Name} with other parameters: send the same parameters to retry, or choose another name.`);
      }
      if ((await tx.listGrants(k.id, undefined, MAX_GRANTS_PER_KEY)).items.length >= MAX_GRANTS_PER_KEY) {
        fail('LimitExceededException', `${k.arn} already has ${MAX_GRANTS_PER_KEY} grants, the most a key can have.`);
      }
      const created = deps.random.bytes(GRANT_ID_BYTES).toString('hex');
      await tx.insertGrant({ grantId: created, keyId: k.id, name: input.Name ?? null, ...wanted, issuingAccount: k.accountId, createdAt: deps.clock.now() });
      return created;
    });
    // "The returned grant token is unique with every CreateGrant request, even when a duplicate GrantId is returned."
    return { GrantId: grantId, GrantToken: await grantTokens.issue(grantId) };
  },
});

type GrantParameters = Pick<GrantRecord, 'granteePrincipal' | 'retiringPrincipal' | 'operations' | 'constraints'>;

/** "you can retry a CreateGrant request with identical parameters; if the grant already exists,
 *  the original GrantId is returned" (API reference, CreateGrant: Name). Operations compare as a set. */
function sameParameters(grant: GrantRecord, wanted: GrantParameters): boolean {
  const ops = (list: readonly string[]): string => [...new Set(list)].sort().join(',');
  return grant.granteePrincipal === wanted.granteePrincipal
    && grant.retiringPrincipal === wanted.retiringPrincipal
    && ops(grant.operations) === ops(wanted.operations)
    && grant.constraints === wanted.constraints;
}

/** The condition keys AWS documents for CreateGrant (Developer Guide, AWS KMS condition keys):
 *  kms:GrantOperations, kms:GranteePrincipal, kms:RetiringPrincipal, kms:GrantConstraintType and
 *  kms:GrantIsForAWSResource, false here: no AWS service calls keyhold on anyone's behalf. The
 *  constraints' pairs are the request's encryption context (`contextOf`). */
function createGrantConditions(input: Input<'CreateGrant'>): ExtraConditions {
  const constraintTypes = (['EncryptionContextEquals', 'EncryptionContextSubset'] as const).filter((t) => input.Constraints?.[t] !== undefined);
  return {
    'kms:grantoperations': input.Operations,
    'kms:grantisforawsresource': 'false',
    ...(input.GranteePrincipal !== undefined ? { 'kms:granteeprincipal': input.GranteePrincipal } : {}),
    ...(input.RetiringPrincipal !== undefined ? { 'kms:retiringprincipal': input.RetiringPrincipal } : {}),
    ...(constraintTypes.length === 1 ? { 'kms:grantconstrainttype': constraintTypes[0] as string } : {}),
    ...(constraintTypes.length > 1 ? { 'kms:grantconstrainttype': constraintTypes } : {}),
  };
}

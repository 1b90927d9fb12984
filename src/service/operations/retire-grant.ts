// RetireGrant: deletes a grant named by its token, or by key ARN and grant id. The grant decides
// who may (its retiring principal, its grantee if it allows RetireGrant, its key's account); the
// key policy plays no part (grant-authority.ts).
import { fail } from '../../core/errors.js';
import { isKeyId, parseKmsArn } from '../../core/keys.js';
import { endDryRun } from '../dry-run.js';
import { defineOperation, type Input } from '../operation.js';
import { requireRetireAuthority } from './grant-authority.js';
import { checkGrantId } from './grant-checks.js';
import type { GrantTokens } from './grant-token.js';

export const RetireGrant = defineOperation({
  name: 'RetireGrant',
  async run({ input, deps, request, grantTokens }) {
    const grantId = await grantToRetire(input, grantTokens);
    const named = input.KeyId === undefined ? undefined : namedKey(input.KeyId, request.principal.accountId, deps.region);
    await deps.store.transaction(async (tx) => {
      const grant = await tx.getGrant(grantId);
      const key = grant && (await tx.getKey(grant.keyId));
      const matches = key !== undefined && key.region === deps.region && (named === undefined || (named.id === key.id && named.account === key.accountId));
      if (!grant || !key || !matches) fail('NotFoundException', `Grant ${grantId} does not exist${input.KeyId === undefined ? '' : ` on ${input.KeyId}`}.`);
      requireRetireAuthority(grant, key.arn, { principal: request.principal, now: deps.clock.now(), origin: request.origin });
      endDryRun(input);
      await tx.deleteGrant(grant.grantId);
    });
    return {};
  },
});

/** "To identify the grant to retire, use a grant token, or both the grant ID and a key identifier"
 *  (API reference, RetireGrant). A GrantId sent with a token must be the token's grant. */
async function grantToRetire(input: Input<'RetireGrant'>, tokens: GrantTokens): Promise<string> {
  if (input.GrantId !== undefined) checkGrantId(input.GrantId);
  if (input.GrantToken !== undefined) {
    const grantId = await tokens.grantIdOf(input.GrantToken);
    if (input.GrantId !== undefined && input.GrantId !== grantId) fail('ValidationException', 'The GrantId is not the grant that the GrantToken identifies.');
    return grantId;
  }
  if (input.GrantId === undefined || input.KeyId === undefined) fail('ValidationException', 'Grant token OR (grant ID, key ID) must be specified');
  return input.GrantId;
}

/** The key a RetireGrant request names: a key ARN (its account), or a key id in the caller's account. */
function namedKey(keyId: string, callerAccount: string, region: string): { id: string; account: string } {
  if (isKeyId(keyId)) return { id: keyId, account: callerAccount };
  const arn = parseKmsArn(keyId);
  const id = arn?.region === region ? /^key\/(.+)$/.exec(arn.resource)?.[1] : undefined;
  if (arn === null || id === undefined || !isKeyId(id)) fail('NotFoundException', `Invalid keyId '${keyId}': RetireGrant takes the key ARN of the grant's key.`);
  return { id, account: arn.account };
}

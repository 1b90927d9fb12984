// Turns a request's KeyId (key id, key ARN, alias name or alias ARN) into the key it names.
import type { Principal } from '../auth/principal.js';
import { fail } from '../core/errors.js';
import { aliasArn, isKeyId, keyArn, parseKmsArn } from '../core/keys.js';
import { authorize } from './authorize.js';
import type { CachedKey } from './key-cache.js';
import { checkState } from './key-states.js';
import type { KeyUse, RequestInfo, ServiceDeps } from './operation.js';
import { serviceManagedKeyId } from './service-managed-keys.js';

/** Finds the key `keyId` names, in the caller's account unless an ARN names another, then
 *  authorises the action and checks the key state. */
export async function useKey(deps: ServiceDeps, request: RequestInfo, keyId: string, use: KeyUse): Promise<CachedKey> {
  const { principal } = request;
  const notFound = use.fromCiphertext === true ? 'InvalidCiphertextException' : 'NotFoundException';
  const id = await keyIdFor(deps, principal, keyId, use.aliases, notFound);
  const key = await deps.keys.key(id);
  // An ARN names the key's account; a bare key id or alias name means the caller's own (AWS:
  // "to specify a KMS key in a different account, you must use the key ARN or alias ARN").
  const account = parseKmsArn(keyId)?.account ?? principal.accountId;
  if (!key || key.record.region !== deps.region || (key.record.accountId !== account && use.fromCiphertext !== true)) {
    fail(notFound, notFound === 'NotFoundException' ? `Key '${keyArn(deps.region, account, id)}' does not exist` : 'The ciphertext refers to a key that does not exist or that the caller cannot use.');
  }
  // Recorded before authorisation: a refused attempt on a key is audited with the key it named.
  request.keysUsed?.push({ arn: key.record.arn, accountId: key.record.accountId });
  const alias = requestAlias(keyId);
  const extra = alias === undefined ? use.extra : { ...use.extra, 'kms:requestalias': alias };
  const now = deps.clock.now();
  authorize(key, { principal, action: use.action, now, origin: request.origin, encryptionContext: use.context, extra });
  checkState(use.states, key.record, now);
  return key;
}

/** kms:RequestAlias: the alias name when the request named the key by alias name or alias ARN. */
function requestAlias(keyId: string): string | undefined {
  if (keyId.startsWith('alias/')) return keyId;
  const resource = parseKmsArn(keyId)?.resource;
  return resource?.startsWith('alias/') === true ? resource : undefined;
}

async function keyIdFor(deps: ServiceDeps, principal: Principal, keyId: string, aliases: boolean, notFound: Parameters<typeof fail>[0]): Promise<string> {
  if (isKeyId(keyId)) return keyId;
  if (keyId.startsWith('alias/')) {
    if (!aliases) fail('NotFoundException', `Invalid keyId '${keyId}': this operation takes a key ID or key ARN, not an alias`);
    return aliasTarget(deps, principal.accountId, keyId, principal.accountId);
  }
  const arn = parseKmsArn(keyId);
  if (arn && arn.region === deps.region) {
    const keyPart = /^key\/(.+)$/.exec(arn.resource)?.[1];
    if (keyPart !== undefined && isKeyId(keyPart)) return keyPart;
    if (arn.resource.startsWith('alias/')) {
      if (!aliases) fail('NotFoundException', `Invalid keyId '${keyId}': this operation takes a key ID or key ARN, not an alias`);
      return aliasTarget(deps, arn.account, arn.resource, principal.accountId);
    }
  }
  if (arn) fail(notFound, `Key '${keyId}' does not exist`);
  fail('NotFoundException', `Invalid keyId '${keyId}'`);
}

async function aliasTarget(deps: ServiceDeps, accountId: string, name: string, callerAccount: string): Promise<string> {
  // A registered service's alias/aws/<service> gets its key on first use, in the caller's own account only.
  const target = (await deps.keys.alias(accountId, deps.region, name)) ?? (accountId === callerAccount ? await serviceManagedKeyId(deps, accountId, name) : undefined);
  if (target === undefined) fail('NotFoundException', `Alias '${aliasArn(deps.region, accountId, name)}' is not found.`);
  return target;
}

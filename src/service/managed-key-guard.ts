// Defense in depth for service-managed keys (KeyManager AWS): the operations that manage a key are
// refused on them whatever a policy says. Their key policy never allows these actions, so callers
// meet AccessDeniedException first, as on AWS; this guard holds should a policy ever be wrong.
import { needs } from '../core/errors.js';
import type { KeyRecord } from '../core/keys.js';
import type { OperationName } from './model/kms-model.js';

/** AWS: customers cannot change the policy, state, deletion, rotation, description, tags, aliases
 *  or key material of AWS managed keys ("AWS managed keys", AWS KMS Developer Guide). */
const CUSTOMER_MANAGED_ONLY: ReadonlySet<OperationName> = new Set<OperationName>([
  'PutKeyPolicy', 'DisableKey', 'EnableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion',
  'EnableKeyRotation', 'DisableKeyRotation', 'RotateKeyOnDemand', 'UpdateKeyDescription',
  'TagResource', 'UntagResource', 'CreateAlias', 'UpdateAlias',
  'GetParametersForImport', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial', 'ReplicateKey', 'UpdatePrimaryRegion',
]);

/** UnsupportedOperationException when `operation` manages `key` and the key is service-managed:
 *  "a specified resource is not valid for this operation" is AWS's meaning for that error. */
export function refuseOnServiceManagedKey(operation: OperationName, key: KeyRecord): void {
  /* Precondition: a service-managed key is managed by keyhold alone. */
  needs(key.keyManager !== 'AWS' || !CUSTOMER_MANAGED_ONLY.has(operation), 'UnsupportedOperationException',
    `${key.arn} is an AWS managed key: you cannot perform ${operation} on it.`);
}

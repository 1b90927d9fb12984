// CreateKey: a key of any KeySpec, with a usage the spec allows, created with its material, tags and
// policy in one transaction — or, with Origin EXTERNAL, without material, pending its import.
import { fail } from '../../core/errors.js';
import { keySpecInfo } from '../../core/key-specs.js';
import { isImportable } from '../../crypto/imported-material.js';
import { keyArn, type KeyRecord } from '../../core/keys.js';
import { defineOperation } from '../operation.js';
import { keyMetadata } from '../metadata.js';
import { checkNewKeyPolicy } from './key-policy-checks.js';
import { defaultKeyPolicy } from './policy-text.js';
import { checkTags, requestTagConditions } from './tag-checks.js';

export const CreateKey = defineOperation({
  name: 'CreateKey',
  async run({ input, deps, request, authorizeIdentity }) {
    if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
      fail('ValidationException', 'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
    }
    const keySpec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
    const keyUsage = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
    /* Precondition: the spec allows the usage (AWS: "Key spec reference"). */
    if (!keySpecInfo[keySpec].usages.includes(keyUsage)) fail('ValidationException', `KeyUsage ${keyUsage} is not compatible with KeySpec ${keySpec}.`);
    const origin = input.Origin ?? 'AWS_KMS';
    if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') fail('UnsupportedOperationException', `Origin ${origin} is not supported by keyhold yet.`);
    if (origin === 'EXTERNAL' && !isImportable(keySpec)) fail('UnsupportedOperationException', `keyhold cannot import key material for ${keySpec} keys, so they cannot have Origin EXTERNAL.`);
    if (input.CustomKeyStoreId !== undefined) fail('CustomKeyStoreNotFoundException', `Custom key store '${input.CustomKeyStoreId}' does not exist.`);
    if (input.XksKeyId !== undefined) fail('ValidationException', 'XksKeyId is valid only with Origin EXTERNAL_KEY_STORE.');
    if (input.MultiRegion === true) fail('UnsupportedOperationException', 'Multi-Region keys are not supported by keyhold.');
    const tags = input.Tags ?? [];
    checkTags(tags);
    authorizeIdentity('kms:CreateKey', '*', {
      'kms:keyspec': keySpec, 'kms:keyusage': keyUsage, 'kms:keyorigin': origin, ...requestTagConditions(tags),
    });

    const accountId = request.principal.accountId;
    const id = deps.random.uuid();
    const arn = keyArn(deps.region, accountId, id);
    const policy = input.Policy ?? defaultKeyPolicy(accountId);
    // A key for imported material starts without any, pending its first import.
    const material = origin === 'EXTERNAL' ? undefined : await deps.backend.createMaterial({ arn, keySpec });
    const now = deps.clock.now();
    const key: KeyRecord = {
      id, accountId, region: deps.region, arn, createdAt: now, description: input.Description ?? '',
      keySpec, keyUsage, origin, state: material ? 'Enabled' : 'PendingImport', policy, deletionDate: null, pendingWindowDays: null,
      currentMaterialId: material?.materialId ?? null, rotationPeriodDays: null, nextRotationDate: null, onDemandRotations: 0, keyManager: 'CUSTOMER', validTo: null,
    };
    /* Precondition: a given policy parses and, unless bypassed, lets the caller change it later. */
    if (input.Policy !== undefined) checkNewKeyPolicy(input.Policy, key, request.principal, now, input.BypassPolicyLockoutSafetyCheck);
    await deps.store.transaction(async (tx) => {
      await tx.insertKey(key);
      if (material) await tx.insertMaterial({ keyId: id, materialId: material.materialId, wrapped: material.wrapped, createdAt: now, rotationType: null });
      await tx.putTags(id, tags);
    });
    return { KeyMetadata: keyMetadata(key) };
  },
});

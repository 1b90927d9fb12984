// ImportKeyMaterial: unwraps the customer's material with the import token's private key, checks it
// against the key's spec and keeps it wrapped under the root key. The first import binds material to
// the key for good: re-importing takes only the same material (IncorrectKeyMaterialException
// otherwise), which restores every ciphertext made under it. Symmetric keys may also take new
// material for a later RotateKeyOnDemand (ImportType NEW_KEY_MATERIAL).
import { DAY_MS } from '../../core/clock.js';
import { fail } from '../../core/errors.js';
import type { ImportedMaterial, KeyMaterialRecord, KeyRecord } from '../../core/keys.js';
import { importedMaterialId, normalizeImportedMaterial } from '../../crypto/imported-material.js';
import { unwrapMaterial } from '../../crypto/import-wrapping.js';
import type { StoreTx } from '../../store/store.js';
import { IMPORT_STATES, needExternalOrigin, settleImportedKey } from '../imported-keys.js';
import { mutateKey } from '../mutate.js';
import { defineOperation, type ExtraConditions, type Input } from '../operation.js';

/** The latest ValidTo AWS accepts: 365 days from the request. */
const MAX_VALIDITY_MS = 365 * DAY_MS;

type Request = Input<'ImportKeyMaterial'>;

export const ImportKeyMaterial = defineOperation({
  name: 'ImportKeyMaterial',
  key: { from: (i) => i.KeyId, action: 'kms:ImportKeyMaterial', states: IMPORT_STATES, aliases: false, extraOf: importConditions },
  async run({ input, deps, importTokens }, key) {
    const k = key.record;
    needExternalOrigin(k);
    const now = deps.clock.now();
    const expiresAt = expiryOf(input, now);
    checkSymmetricOnlyParameters(input, k);
    const { algorithm, privateKey } = await importTokens.open(k.arn, input.ImportToken, now);
    const raw = unwrapMaterial(privateKey, algorithm, input.EncryptedKeyMaterial);
    if (!raw) fail('InvalidCiphertextException', `The encrypted key material does not decrypt with the wrapping key and algorithm (${algorithm}) of this import token.`);
    let material: Buffer | undefined;
    try {
      material = normalizeImportedMaterial(k.keySpec, raw);
      const materialId = importedMaterialId(k.id, material);
      const { wrapped } = deps.backend.importMaterial(k, materialId, material);
      await mutateKey(deps, k.id, IMPORT_STATES, async (tx, current) => {
        const imported: ImportedMaterial = { state: 'IMPORTED', expiresAt, description: input.KeyMaterialDescription ?? null, pendingRotation: false };
        await place(tx, current, input, { keyId: k.id, materialId, wrapped, createdAt: now, rotationType: null, imported });
        await settleImportedKey(tx, (await tx.getKey(k.id)) ?? current);
      });
      return { KeyId: k.arn, KeyMaterialId: materialId };
    } finally {
      raw.fill(0);
      material?.fill(0);
    }
  },
});

/** ValidTo, or null for material that does not expire (AWS's rules for ExpirationModel and ValidTo). */
function expiryOf(input: Request, now: Date): Date | null {
  const model = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (input.ValidTo !== undefined) fail('ValidationException', 'ValidTo is not valid when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.');
    return null;
  }
  const validTo = input.ValidTo;
  if (validTo === undefined) fail('ValidationException', 'ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES (the default).');
  if (validTo.getTime() <= now.getTime()) fail('ValidationException', 'ValidTo must be in the future.');
  if (validTo.getTime() > now.getTime() + MAX_VALIDITY_MS) fail('ValidationException', 'ValidTo must be at most 365 days from now.');
  return validTo;
}

/** kms:ExpirationModel, and kms:ValidTo in seconds since the epoch, as AWS's numeric conditions compare it. */
function importConditions(input: Request): ExtraConditions {
  return {
    'kms:expirationmodel': input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES',
    ...(input.ValidTo && { 'kms:validto': String(input.ValidTo.getTime() / 1000) }),
  };
}

function checkSymmetricOnlyParameters(input: Request, key: KeyRecord): void {
  if (key.keySpec === 'SYMMETRIC_DEFAULT') return;
  for (const name of ['ImportType', 'KeyMaterialId', 'KeyMaterialDescription'] as const) {
    if (input[name] !== undefined) fail('ValidationException', `${name} is valid only for symmetric encryption keys; ${key.arn} is ${key.keySpec}.`);
  }
}

/** Inserts the first or new material, or restores the same material, as the import type says. */
async function place(tx: StoreTx, key: KeyRecord, input: Request, incoming: KeyMaterialRecord): Promise<void> {
  const materials = await tx.listMaterials(key.id);
  const existing = materials.find((m) => m.materialId === incoming.materialId);
  const symmetric = key.keySpec === 'SYMMETRIC_DEFAULT';
  const importType = input.ImportType ?? (materials.length === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL');
  if (importType === 'EXISTING_KEY_MATERIAL' || (!symmetric && materials.length > 0)) {
    /* Precondition: re-imported material is the material bound to the key (and the one named). */
    if (input.KeyMaterialId !== undefined && input.KeyMaterialId !== incoming.materialId) {
      fail('IncorrectKeyMaterialException', `The key material does not match KeyMaterialId ${input.KeyMaterialId}.`);
    }
    if (!existing) fail('IncorrectKeyMaterialException', `The key material is not the key material previously imported into ${key.arn}.`);
    await tx.updateMaterial(key.id, existing.materialId, {
      ...existing,
      wrapped: incoming.wrapped,
      imported: { ...(incoming.imported as ImportedMaterial), description: input.KeyMaterialDescription ?? existing.imported?.description ?? null, pendingRotation: existing.imported?.pendingRotation === true },
    });
    return;
  }
  if (input.KeyMaterialId !== undefined) fail('ValidationException', 'KeyMaterialId is not valid with ImportType NEW_KEY_MATERIAL: keyhold derives the id from the material.');
  if (existing) fail('ValidationException', `This key material is already associated with ${key.arn}: re-import it with ImportType EXISTING_KEY_MATERIAL.`);
  if (materials.length === 0) {
    await tx.insertMaterial(incoming);
    await tx.updateKey(key.id, { currentMaterialId: incoming.materialId });
    return;
  }
  const pending = materials.find((m) => m.imported?.pendingRotation === true);
  if (pending) fail('ValidationException', `${key.arn} already has key material ${pending.materialId} pending rotation: rotate the key (RotateKeyOnDemand) or delete that material first.`);
  await tx.insertMaterial({ ...incoming, imported: { ...(incoming.imported as ImportedMaterial), pendingRotation: true } });
}

// DeleteImportedKeyMaterial: destroys keyhold's copy of imported material at once (the break-glass
// switch). The key turns PendingImport — every operation on it fails — until the same material is
// imported again; a key pending deletion keeps that state. Material imported for a rotation not yet
// done was never bound to the key and goes entirely.
import { fail } from '../../core/errors.js';
import { DELETE_IMPORTED_STATES, needExternalOrigin, settleImportedKey } from '../imported-keys.js';
import { mutateKey } from '../mutate.js';
import { defineOperation } from '../operation.js';

export const DeleteImportedKeyMaterial = defineOperation({
  name: 'DeleteImportedKeyMaterial',
  key: { from: (i) => i.KeyId, action: 'kms:DeleteImportedKeyMaterial', states: DELETE_IMPORTED_STATES, aliases: false },
  async run({ input, deps }, key) {
    needExternalOrigin(key.record);
    const materialId = await mutateKey(deps, key.record.id, DELETE_IMPORTED_STATES, async (tx, k) => {
      const id = input.KeyMaterialId ?? k.currentMaterialId;
      const material = id === null ? undefined : (await tx.listMaterials(k.id)).find((m) => m.materialId === id);
      if (id === null) fail('KMSInvalidStateException', `${k.arn} has no imported key material to delete.`);
      if (!material?.imported) fail('NotFoundException', `Key material ${id} is not associated with ${k.arn}.`);
      if (material.imported.pendingRotation) {
        await tx.deleteMaterial(k.id, id);
      } else {
        await tx.updateMaterial(k.id, id, { ...material, wrapped: Buffer.alloc(0), imported: { ...material.imported, state: 'PENDING_IMPORT', expiresAt: null } });
      }
      await settleImportedKey(tx, k);
      return id;
    });
    // The wrapped bytes are gone from the table; scrubbing removes them from the store's files too.
    await deps.store.scrub();
    return { KeyId: key.record.arn, KeyMaterialId: materialId };
  },
});

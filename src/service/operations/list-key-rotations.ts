// ListKeyRotations: the key's materials oldest first. ROTATIONS_ONLY (the default) lists the
// materials that rotations added (and imported material waiting for one); ALL_KEY_MATERIAL also lists
// the first, without a date or type.
import { decodeMarker, pageFields } from '../marker.js';
import { fail } from '../../core/errors.js';
import { defineOperation } from '../operation.js';
import type { KeyMaterialRecord, KeyRecord } from '../../core/keys.js';
import { ROTATION_READ, needOnDemandRotatable } from '../rotation.js';

const DEFAULT_LIMIT = 100;

export const ListKeyRotations = defineOperation({
  name: 'ListKeyRotations',
  key: { from: (i) => i.KeyId, action: 'kms:ListKeyRotations', states: ROTATION_READ, aliases: false },
  async run({ input, deps }, key) {
    const k = key.record;
    needOnDemandRotatable(k);
    const all = await deps.store.read((tx) => tx.listMaterials(k.id));
    // Material imported for a rotation not yet done is listed too: that is how a caller finds it.
    const listed = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL' ? all : all.filter((m) => m.rotationType !== null || m.imported?.pendingRotation === true);
    // A key has a few dozen materials at most, so a page is a slice after the marker's material id.
    const after = decodeMarker(input.Marker);
    let start = 0;
    if (after !== undefined) {
      start = listed.findIndex((m) => m.materialId === after) + 1;
      if (start === 0) fail('InvalidMarkerException', 'The marker is not valid: pass the NextMarker of a previous response.');
    }
    const limit = input.Limit ?? DEFAULT_LIMIT;
    const page = listed.slice(start, start + limit);
    const last = page.at(-1);
    const more = start + limit < listed.length && last !== undefined;
    return {
      Rotations: page.map((m) => rotationEntry(k, m)),
      ...pageFields(more ? last.materialId : undefined),
    };
  },
});

function rotationEntry(key: KeyRecord, m: KeyMaterialRecord) {
  const imported = m.imported;
  const state = imported?.pendingRotation === true ? 'PENDING_ROTATION' as const : m.materialId === key.currentMaterialId ? 'CURRENT' as const : 'NON_CURRENT' as const;
  return {
    KeyId: key.arn,
    KeyMaterialId: m.materialId,
    KeyMaterialState: state,
    ...(m.rotationType === null ? {} : { RotationDate: m.rotatedAt ?? m.createdAt, RotationType: m.rotationType }),
    // Only symmetric keys with imported material carry these (AWS API reference, RotationsListEntry).
    ...(imported && {
      ImportState: imported.state,
      ...(imported.description !== null && { KeyMaterialDescription: imported.description }),
      ExpirationModel: imported.expiresAt === null ? 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const : 'KEY_MATERIAL_EXPIRES' as const,
      ...(imported.expiresAt !== null && { ValidTo: imported.expiresAt }),
    }),
  };
}

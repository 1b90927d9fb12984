// ListKeyRotations: the key's materials oldest first. ROTATIONS_ONLY (the default) lists the
// materials that rotations added; ALL_KEY_MATERIAL also lists the first, without a date or type.
import { decodeMarker, pageFields } from '../marker.js';
import { fail } from '../../core/errors.js';
import { defineOperation } from '../operation.js';
import { ROTATION_READ, needRotatable } from '../rotation.js';

const DEFAULT_LIMIT = 100;

export const ListKeyRotations = defineOperation({
  name: 'ListKeyRotations',
  key: { from: (i) => i.KeyId, action: 'kms:ListKeyRotations', states: ROTATION_READ, aliases: false },
  async run({ input, deps }, key) {
    const k = key.record;
    needRotatable(k);
    const all = await deps.store.read((tx) => tx.listMaterials(k.id));
    const listed = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL' ? all : all.filter((m) => m.rotationType !== null);
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
      Rotations: page.map((m) => ({
        KeyId: k.arn,
        KeyMaterialId: m.materialId,
        KeyMaterialState: m.materialId === k.currentMaterialId ? 'CURRENT' as const : 'NON_CURRENT' as const,
        ...(m.rotationType === null ? {} : { RotationDate: m.createdAt, RotationType: m.rotationType }),
      })),
      ...pageFields(more ? last.materialId : undefined),
    };
  },
});

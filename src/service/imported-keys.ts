// Keys with imported material (Origin EXTERNAL): which states the import operations accept, and the
// key state and ValidTo that follow from the state of its materials (AWS key-state table: a key is
// PendingImport while any of its material is deleted or expired, Enabled again once all is back).
import { fail } from '../core/errors.js';
import type { KeyMaterialRecord, KeyRecord, KeyState } from '../core/keys.js';
import type { StoreTx } from '../store/store.js';

/** GetParametersForImport and ImportKeyMaterial: a live key, not one pending deletion. */
export const IMPORT_STATES: readonly KeyState[] = ['Enabled', 'Disabled', 'PendingImport'];
/** DeleteImportedKeyMaterial also works on a key pending deletion, whose state it leaves alone. */
export const DELETE_IMPORTED_STATES: readonly KeyState[] = [...IMPORT_STATES, 'PendingDeletion'];

export function needExternalOrigin(key: KeyRecord): void {
  /* Precondition: only keys created for imported material take it (AWS: UnsupportedOperationException). */
  if (key.origin !== 'EXTERNAL') fail('UnsupportedOperationException', `${key.arn} has origin ${key.origin}: only keys with origin EXTERNAL take imported key material.`);
}

/** Materials bound to the key: every one but material imported for a rotation not yet done. */
export const boundMaterials = (materials: readonly KeyMaterialRecord[]): KeyMaterialRecord[] =>
  materials.filter((m) => m.imported?.pendingRotation !== true);

/** Whether every material bound to the key is present: a key without it cannot be Enabled or Disabled. */
export function allMaterialPresent(key: KeyRecord, materials: readonly KeyMaterialRecord[]): boolean {
  if (key.origin !== 'EXTERNAL') return true;
  const bound = boundMaterials(materials);
  return bound.length > 0 && bound.every((m) => m.imported?.state === 'IMPORTED');
}

/**
 * After material was imported, deleted or expired: sets the key's state (PendingImport while any
 * bound material is missing; Enabled when the last one returns to a PendingImport key; a disabled
 * key stays disabled, a key pending deletion stays so) and ValidTo (the earliest expiry of present
 * bound material), inside the caller's transaction.
 */
export async function settleImportedKey(tx: StoreTx, key: KeyRecord): Promise<void> {
  const materials = await tx.listMaterials(key.id);
  const present = allMaterialPresent(key, materials);
  let state: KeyState = key.state;
  if (key.state !== 'PendingDeletion') {
    if (!present) state = 'PendingImport';
    else if (key.state === 'PendingImport') state = 'Enabled';
  }
  const expiries = boundMaterials(materials)
    .filter((m) => m.imported?.state === 'IMPORTED' && m.imported.expiresAt !== null)
    .map((m) => m.imported?.expiresAt?.getTime() ?? Infinity);
  const validTo = expiries.length === 0 ? null : new Date(Math.min(...expiries));
  await tx.updateKey(key.id, { state, validTo });
}

// Rotation of a symmetric key: new material becomes current, every earlier material still decrypts
// (a blob names the material it was sealed under). Shared by RotateKeyOnDemand and the scheduler.
import { DAY_MS } from '../core/clock.js';
import { fail } from '../core/errors.js';
import type { KeyRecord, KeyState, RotationType } from '../core/keys.js';
import type { StoreTx } from '../store/store.js';
import type { ServiceDeps } from './operation.js';

/** AWS's bounds and default for RotationPeriodInDays (EnableKeyRotation, API reference). */
export const ROTATION_PERIOD_DEFAULT_DAYS = 365;
/** On-demand rotations allowed per key (RotateKeyOnDemand, API reference: LimitExceededException). */
export const MAX_ON_DEMAND_ROTATIONS = 25;

/** States in which rotation settings and history can be read: a live key, or one pending deletion. */
export const ROTATION_READ: readonly KeyState[] = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport'];

/** Whether the key can rotate at all: only symmetric encryption keys with AWS_KMS origin (AWS API reference). */
export const isRotatable = (key: KeyRecord): boolean => key.keySpec === 'SYMMETRIC_DEFAULT' && key.origin === 'AWS_KMS';

/** UnsupportedOperationException for asymmetric, HMAC and imported keys, as AWS answers. */
export function needRotatable(key: KeyRecord): void {
  /* Precondition: asymmetric, HMAC and imported-material keys do not rotate (AWS: EnableKeyRotation, RotateKeyOnDemand). */
  if (!isRotatable(key)) fail('UnsupportedOperationException', `${key.arn} does not support key rotation: only symmetric encryption keys with AWS_KMS origin rotate.`);
}

/** Whether the key takes RotateKeyOnDemand and lists rotations: symmetric encryption keys, including
 *  those with imported material, which rotate to material imported for the purpose. */
export const rotatesOnDemand = (key: KeyRecord): boolean =>
  key.keySpec === 'SYMMETRIC_DEFAULT' && (key.origin === 'AWS_KMS' || key.origin === 'EXTERNAL');

export function needOnDemandRotatable(key: KeyRecord): void {
  /* Precondition: asymmetric and HMAC keys do not rotate (AWS: RotateKeyOnDemand, ListKeyRotations). */
  if (!rotatesOnDemand(key)) fail('UnsupportedOperationException', `${key.arn} does not support key rotation: only symmetric encryption keys rotate.`);
}

export const addDays = (from: Date, days: number): Date => new Date(from.getTime() + days * DAY_MS);

/**
 * Adds fresh material to `key` and makes it current, inside the caller's transaction.
 * `patch` carries what else changes with the rotation (the on-demand count, the next automatic date).
 * Returns the new material id.
 */
export async function rotateIn(
  deps: ServiceDeps,
  tx: StoreTx,
  key: KeyRecord,
  rotationType: RotationType,
  patch: { onDemandRotations?: number; nextRotationDate?: Date },
): Promise<string> {
  const material = await deps.backend.createMaterial({ arn: key.arn, keySpec: key.keySpec });
  const now = deps.clock.now();
  await tx.insertMaterial({ keyId: key.id, materialId: material.materialId, wrapped: material.wrapped, createdAt: now, rotationType });
  await tx.updateKey(key.id, { currentMaterialId: material.materialId, ...patch });
  return material.materialId;
}

/**
 * The rotation of a key with imported material: the material imported with ImportType
 * NEW_KEY_MATERIAL becomes current and bound to the key, inside the caller's transaction.
 */
export async function rotateToImportedIn(deps: ServiceDeps, tx: StoreTx, key: KeyRecord, patch: { onDemandRotations: number }): Promise<string> {
  const pending = (await tx.listMaterials(key.id)).find((m) => m.imported?.pendingRotation === true);
  /* Precondition: new material was imported for this rotation (AWS: its state is PENDING_ROTATION),
   * and is still there: material that expired or was deleted meanwhile must be imported again. */
  if (!pending?.imported) fail('KMSInvalidStateException', `${key.arn} has no key material in PENDING_ROTATION state: import new key material (ImportType NEW_KEY_MATERIAL) first.`);
  if (pending.imported.state !== 'IMPORTED') fail('KMSInvalidStateException', `The key material ${pending.materialId} pending rotation for ${key.arn} was deleted or expired: import it again first.`);
  await tx.updateMaterial(key.id, pending.materialId, {
    ...pending, rotationType: 'ON_DEMAND', rotatedAt: deps.clock.now(), imported: { ...pending.imported, pendingRotation: false },
  });
  await tx.updateKey(key.id, { currentMaterialId: pending.materialId, ...patch });
  return pending.materialId;
}

// Row <-> record mapping for the SQLite store (dates are stored as epoch milliseconds).
import type { AliasRecord, KeyMaterialRecord, KeyRecord } from '../../core/keys.js';
import type { AccessKeyRecord, AccountRecord } from '../store.js';

export type Row = Record<string, unknown>;

const date = (v: unknown): Date => new Date(Number(v));
const optDate = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));

export const toKey = (r: Row): KeyRecord => ({
  id: String(r.id),
  accountId: String(r.account_id),
  region: String(r.region),
  arn: String(r.arn),
  createdAt: date(r.created_at),
  description: String(r.description),
  keySpec: r.key_spec as KeyRecord['keySpec'],
  keyUsage: r.key_usage as KeyRecord['keyUsage'],
  origin: r.origin as KeyRecord['origin'],
  state: r.state as KeyRecord['state'],
  policy: String(r.policy),
  deletionDate: optDate(r.deletion_date),
  pendingWindowDays: r.pending_window_days === null ? null : Number(r.pending_window_days),
  currentMaterialId: r.current_material_id === null ? null : (r.current_material_id as string),
  rotationPeriodDays: r.rotation_period_days === null ? null : Number(r.rotation_period_days),
  nextRotationDate: optDate(r.next_rotation_date),
  onDemandRotations: Number(r.on_demand_rotations),
  keyManager: r.key_manager === 'AWS' ? 'AWS' : 'CUSTOMER',
  validTo: optDate(r.valid_to),
});

export const toMaterial = (r: Row): KeyMaterialRecord => ({
  keyId: String(r.key_id),
  materialId: String(r.material_id),
  wrapped: r.wrapped as Buffer,
  createdAt: date(r.created_at),
  rotationType: r.rotation_type === 'AUTOMATIC' || r.rotation_type === 'ON_DEMAND' ? r.rotation_type : null,
  rotatedAt: optDate(r.rotated_at),
  ...(r.import_state === null || r.import_state === undefined ? {} : {
    imported: {
      state: r.import_state === 'IMPORTED' ? 'IMPORTED' : 'PENDING_IMPORT',
      expiresAt: optDate(r.expires_at),
      description: typeof r.description === 'string' ? r.description : null,
      pendingRotation: r.pending_rotation === 1,
    },
  }),
});

export const toAlias = (r: Row): AliasRecord => ({
  accountId: String(r.account_id),
  region: String(r.region),
  name: String(r.name),
  targetKeyId: String(r.target_key_id),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});

export const toAccount = (r: Row): AccountRecord => ({
  id: String(r.id),
  name: String(r.name),
  status: r.status === 'Disabled' ? 'Disabled' : 'Active',
  createdAt: date(r.created_at),
});

export const toAccessKey = (r: Row): AccessKeyRecord => ({
  id: String(r.id),
  accountId: String(r.account_id),
  principalArn: String(r.principal_arn),
  userName: r.user_name === null ? null : (r.user_name as string),
  wrappedSecret: r.wrapped_secret as Buffer,
  status: r.status === 'Active' ? 'Active' : 'Inactive',
  isAdmin: r.is_admin === 1,
  createdAt: date(r.created_at),
});

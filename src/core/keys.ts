// The key model: specs, usages, states, origins and the ARNs that name keys and aliases.

export const keyStates = [
  'Creating', 'Enabled', 'Disabled', 'PendingDeletion', 'PendingImport',
  'PendingReplicaDeletion', 'Unavailable', 'Updating',
] as const;
export type KeyState = (typeof keyStates)[number];

export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';
import type { KeySpec } from './key-specs.js';
export type { KeySpec } from './key-specs.js';
export type Origin = 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';

/** A KMS key's metadata as stored; material lives in `KeyMaterialRecord`s. */
export interface KeyRecord {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly arn: string;
  readonly createdAt: Date;
  readonly description: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly origin: Origin;
  readonly state: KeyState;
  readonly policy: string;
  readonly deletionDate: Date | null;
  readonly pendingWindowDays: number | null;
  readonly currentMaterialId: string | null;
  /** Days between automatic rotations; null when automatic rotation is disabled. */
  readonly rotationPeriodDays: number | null;
  /** When the next automatic rotation is due; null when automatic rotation is disabled. */
  readonly nextRotationDate: Date | null;
  /** How many on-demand rotations the key has had (AWS allows 25 per key). */
  readonly onDemandRotations: number;
  /** AWS for the service-managed keys of integrated services, which customers cannot manage. */
  readonly keyManager: KeyManager;
  /** Imported material only: the earliest time any of it expires (KeyMetadata.ValidTo). */
  readonly validTo: Date | null;
}

export type KeyManager = 'CUSTOMER' | 'AWS';

export type RotationType = 'AUTOMATIC' | 'ON_DEMAND';

/** One generation of key material, wrapped under the root key (AAD names key ARN and material id). */
export interface KeyMaterialRecord {
  readonly keyId: string;
  readonly materialId: string;
  readonly wrapped: Buffer;
  readonly createdAt: Date;
  /** How this material came to be; null for the material the key was created with. */
  readonly rotationType: RotationType | null;
  /** When it became current by rotation, if later than its creation (imported material pending rotation). */
  readonly rotatedAt?: Date | null;
  /** Present only for material imported into a key with EXTERNAL origin. */
  readonly imported?: ImportedMaterial;
}

/** What keyhold keeps about imported material besides its (wrapped) bytes. */
export interface ImportedMaterial {
  /** PENDING_IMPORT once deleted or expired: `wrapped` is then empty until the same material returns. */
  readonly state: 'IMPORTED' | 'PENDING_IMPORT';
  /** KEY_MATERIAL_EXPIRES when set; null for KEY_MATERIAL_DOES_NOT_EXPIRE. */
  readonly expiresAt: Date | null;
  readonly description: string | null;
  /** Imported with ImportType NEW_KEY_MATERIAL, waiting for RotateKeyOnDemand to make it current. */
  readonly pendingRotation: boolean;
}

export interface AliasRecord {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly targetKeyId: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface Tag {
  readonly TagKey: string;
  readonly TagValue: string;
}

export const keyArn = (region: string, account: string, keyId: string): string =>
  `arn:aws:kms:${region}:${account}:key/${keyId}`;

export const aliasArn = (region: string, account: string, aliasName: string): string =>
  `arn:aws:kms:${region}:${account}:${aliasName}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isKeyId = (s: string): boolean => UUID.test(s);

export interface ParsedArn {
  readonly region: string;
  readonly account: string;
  readonly resource: string; // "key/<uuid>" or "alias/<name>"
}

/** Parses `arn:<partition>:kms:<region>:<account>:<resource>`; null when it is not a KMS ARN. */
export function parseKmsArn(arn: string): ParsedArn | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[1] !== 'aws' || parts[2] !== 'kms') return null;
  const [, , , region, account] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  if (!region || !/^\d{12}$/.test(account) || !resource) return null;
  return { region, account, resource };
}

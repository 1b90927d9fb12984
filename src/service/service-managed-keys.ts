// Service-managed keys (AWS's "AWS managed keys"): each registered integrated service has one
// symmetric key per account, under the reserved alias `alias/aws/<service>`, created the first time
// a request in that account names the alias (as AWS creates one when DescribeKey or a service first
// names it). KeyManager AWS; rotated every 365 days; its policy lets the account use it only
// through the service and read it directly.
import { SERVICE_NAME } from '../auth/service-tokens.js';
import { viaServiceValue } from '../auth/integrated-services.js';
import { keyArn, type KeyRecord } from '../core/keys.js';
import { serviceManagedKeyPolicy } from './managed-key-policy.js';
import type { ServiceDeps } from './operation.js';
import { ROTATION_PERIOD_DEFAULT_DAYS, addDays } from './rotation.js';

/** Alias names under this prefix belong to service-managed keys; customers cannot create them. */
export const RESERVED_ALIAS_PREFIX = 'alias/aws/';

/** The alias of `service`'s managed key in every account. */
export const reservedAlias = (service: string): string => RESERVED_ALIAS_PREFIX + service;

/** The service a reserved alias name belongs to, when it could name one. */
export function serviceOfAlias(aliasName: string): string | undefined {
  if (!aliasName.startsWith(RESERVED_ALIAS_PREFIX)) return undefined;
  const service = aliasName.slice(RESERVED_ALIAS_PREFIX.length);
  return SERVICE_NAME.test(service) ? service : undefined;
}

/**
 * The id of the managed key `aliasName` names in `accountId`, created now if the alias is a
 * registered service's and has no key yet; undefined when the alias names no registered service.
 * Security contract: call only for the caller's own account (AWS creates AWS managed keys in the
 * account that uses them); the key, its material and its alias are written in one transaction,
 * and concurrent first uses produce one key: the alias decides, the loser reads the winner's.
 */
export async function serviceManagedKeyId(deps: ServiceDeps, accountId: string, aliasName: string): Promise<string | undefined> {
  const service = serviceOfAlias(aliasName);
  if (service === undefined || !(await deps.store.read((tx) => tx.getService(service)))) return undefined;
  const key = newManagedKey(deps, accountId, service);
  const material = await deps.backend.createMaterial({ arn: key.arn, keySpec: key.keySpec });
  try {
    return await deps.store.transaction(async (tx) => {
      // Another request (here or on another process) may have created it since this one missed.
      const existing = await tx.getAlias(accountId, deps.region, aliasName);
      if (existing) return existing.targetKeyId;
      await tx.insertKey({ ...key, currentMaterialId: material.materialId });
      await tx.insertMaterial({ keyId: key.id, materialId: material.materialId, wrapped: material.wrapped, createdAt: key.createdAt, rotationType: null });
      await tx.insertAlias({ accountId, region: deps.region, name: aliasName, targetKeyId: key.id, createdAt: key.createdAt, updatedAt: key.createdAt });
      return key.id;
    });
  } catch (err) {
    // A store whose writers do not queue (unlike SQLite's) lets two transactions both miss the
    // alias: its primary key refuses the second insert, and the loser answers with the winner's key.
    const winner = await deps.store.read((tx) => tx.getAlias(accountId, deps.region, aliasName));
    if (winner) return winner.targetKeyId;
    throw err;
  }
}

function newManagedKey(deps: ServiceDeps, accountId: string, service: string): KeyRecord {
  const id = deps.random.uuid();
  const now = deps.clock.now();
  return {
    id, accountId, region: deps.region, arn: keyArn(deps.region, accountId, id), createdAt: now,
    // AWS's wording for its managed keys ("Default key that protects my EBS volumes when no other key is defined").
    description: `Default key that protects my ${service} data when no other key is defined`,
    keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', state: 'Enabled',
    policy: serviceManagedKeyPolicy(accountId, service, viaServiceValue(service, deps.region)),
    deletionDate: null, pendingWindowDays: null, currentMaterialId: null,
    // AWS rotates its managed keys every year, one year after creation; the rotation scheduler does.
    rotationPeriodDays: ROTATION_PERIOD_DEFAULT_DAYS, nextRotationDate: addDays(now, ROTATION_PERIOD_DEFAULT_DAYS),
    onDemandRotations: 0, keyManager: 'AWS', validTo: null,
  };
}

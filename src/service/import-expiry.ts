// Expiry of imported key material: at ValidTo keyhold deletes the material, as DeleteImportedKeyMaterial
// would, and the key turns PendingImport. The deletion scheduler runs this each minute; between runs
// the key-state check already refuses cryptographic use from ValidTo on (key-states.ts), so expired
// material is never used, even before it is destroyed.
import type { ServiceDeps } from './operation.js';
import { settleImportedKey } from './imported-keys.js';

/** Destroys every imported material whose ValidTo has passed. Idempotent: several processes may run
 *  it at once. Returns the ARNs of the keys that lost material. */
export async function expireImportedMaterial(deps: ServiceDeps): Promise<string[]> {
  const expired = await deps.store.transaction(async (tx) => {
    const due = await tx.materialsDueToExpire(deps.clock.now());
    const arns = new Set<string>();
    for (const material of due) {
      if (!material.imported) continue;
      await tx.updateMaterial(material.keyId, material.materialId, { ...material, wrapped: Buffer.alloc(0), imported: { ...material.imported, state: 'PENDING_IMPORT', expiresAt: null } });
      const key = await tx.getKey(material.keyId);
      if (!key) continue;
      await settleImportedKey(tx, key);
      arns.add(key.arn);
    }
    return [...arns];
  });
  if (expired.length > 0) await deps.store.scrub();
  return expired;
}

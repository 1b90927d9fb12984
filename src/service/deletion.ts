// The deletion scheduler: destroys keys whose pending window has passed, and imported material
// whose ValidTo has. The deadline is stored
// with the key, so the window holds across restarts; the clock is injected for tests.
import type { Logger } from 'pino';
import { expireImportedMaterial } from './import-expiry.js';
import type { ServiceDeps } from './operation.js';
import { whileLeased } from './scheduler-lease.js';

/** Deletes every key due now, with its material, aliases and tags, in one transaction.
 *  Idempotent: several processes may run it at once (an expired lease's holder still finishing). Returns the ARNs destroyed. */
export async function deleteDueKeys(deps: ServiceDeps): Promise<string[]> {
  const destroyed = await deps.store.transaction(async (tx) => {
    const due = await tx.keysDueForDeletion(deps.clock.now());
    for (const key of due) await tx.deleteKey(key.id);
    return due.map((k) => k.arn);
  });
  if (destroyed.length > 0) await deps.store.scrub();
  return destroyed;
}

/** Runs deleteDueKeys now and then every `intervalMs` until stopped, on whichever node holds the
 *  'deletion' lease (see scheduler-lease.ts: a dead holder is replaced within about 3 × intervalMs). */
export function startDeletionScheduler(deps: ServiceDeps, logger: Logger, intervalMs = 60_000): { stop(): void; runNow(): Promise<void> } {
  const runNow = async (): Promise<void> => {
    try {
      await whileLeased(deps, 'deletion', intervalMs, async () => {
        const arns = await deleteDueKeys(deps);
        for (const arn of arns) logger.info({ keyArn: arn }, 'key deleted: its pending deletion window ended');
        for (const arn of await expireImportedMaterial(deps)) logger.info({ keyArn: arn }, 'imported key material expired and was deleted: the key is pending import');
      });
    } catch (err) {
      logger.error({ err }, 'deletion scheduler run failed; will retry');
    }
  };
  void runNow();
  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow };
}

// The rotation scheduler: rotates each enabled key whose automatic rotation is due, then moves its
// next date on by the period. The date is stored with the key, so the schedule holds across restarts.
import type { Logger } from 'pino';
import type { ServiceDeps } from './operation.js';
import { addDays, isRotatable, rotateIn } from './rotation.js';
import { whileLeased } from './scheduler-lease.js';

/** Rotates every key due now, each in its own transaction that re-reads the key and rotates only
 *  if it is still due: several processes may run this at once and a key rotates once.
 *  Returns the ARNs rotated. */
export async function rotateDueKeys(deps: ServiceDeps): Promise<string[]> {
  const due = await deps.store.read((tx) => tx.keysDueForRotation(deps.clock.now()));
  const rotated: string[] = [];
  for (const candidate of due) {
    const arn = await deps.store.transaction(async (tx) => {
      const now = deps.clock.now();
      const key = await tx.getKey(candidate.id);
      // Another process may have rotated it, or the key may have been disabled or changed since.
      if (!key || key.state !== 'Enabled' || !isRotatable(key)) return undefined;
      if (key.rotationPeriodDays === null || key.nextRotationDate === null || key.nextRotationDate > now) return undefined;
      // From the scheduled date, so the schedule does not drift; after a long outage, one catch-up
      // rotation now rather than one per missed period.
      const scheduled = addDays(key.nextRotationDate, key.rotationPeriodDays);
      const nextRotationDate = scheduled > now ? scheduled : addDays(now, key.rotationPeriodDays);
      await rotateIn(deps, tx, key, 'AUTOMATIC', { nextRotationDate });
      return key.arn;
    });
    if (arn !== undefined) rotated.push(arn);
  }
  return rotated;
}

/** Runs rotateDueKeys now and then every `intervalMs` until stopped, on whichever node holds the
 *  'rotation' lease (see scheduler-lease.ts: a dead holder is replaced within about 3 × intervalMs). */
export function startRotationScheduler(deps: ServiceDeps, logger: Logger, intervalMs = 60_000): { stop(): void; runNow(): Promise<void> } {
  const runNow = async (): Promise<void> => {
    try {
      await whileLeased(deps, 'rotation', intervalMs, async () => {
        const arns = await rotateDueKeys(deps);
        for (const arn of arns) logger.info({ keyArn: arn }, 'key rotated: its automatic rotation was due');
      });
    } catch (err) {
      logger.error({ err }, 'rotation scheduler run failed; will retry');
    }
  };
  void runNow();
  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow };
}

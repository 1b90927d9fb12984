// The audit trail's periodic work: sign a digest of the chain head, then apply retention. Every
// process schedules it, and it runs on the one holding the 'audit-upkeep' lease (scheduler-lease.ts),
// so a cluster does it once per interval. Both steps are also idempotent single transactions, so
// an on-demand digest, or an expired holder still finishing, does no harm: the first to reach a
// new head signs it, the others find nothing to do.
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { DIGEST_INTERVAL_MS } from './digests.js';
import type { DigestBody } from './digest-body.js';
import type { DigestSigner } from './signing-key.js';
import type { AuditTrail } from './trail.js';

export interface AuditUpkeepDeps {
  /** Its digests cover every event recorded before they are asked for (AuditTrail.digest). */
  readonly trail: AuditTrail;
  readonly signingKey: { signer(): Promise<DigestSigner> };
  readonly clock: Clock;
  readonly logger: Logger;
  /** Runs the job if this process holds the upkeep's lease (undefined otherwise). */
  readonly leased: <T>(job: () => Promise<T>) => Promise<T | undefined>;
  /** Days events are kept; undefined keeps them for ever. */
  readonly retentionDays: number | undefined;
}

export interface AuditUpkeep {
  /** Signs the head now (on demand); undefined when no event was appended since the last digest. */
  digestNow(): Promise<DigestBody | undefined>;
  runNow(): Promise<void>;
  stop(): void;
}

export function startAuditUpkeep(deps: AuditUpkeepDeps, intervalMs = DIGEST_INTERVAL_MS): AuditUpkeep {
  const digestNow = async (): Promise<DigestBody | undefined> => deps.trail.digest(await deps.signingKey.signer(), deps.clock.now());
  const upkeep = async (): Promise<void> => {
    const digest = await digestNow();
    if (digest) deps.logger.info({ digestSeq: digest.digestSeq, headSeq: digest.headSeq }, 'audit digest signed');
    if (deps.retentionDays !== undefined) {
      const { removedEvents, checkpointSeq } = await deps.trail.applyRetention(deps.clock.now(), deps.retentionDays);
      if (removedEvents > 0) deps.logger.info({ removedEvents, checkpointSeq }, 'audit events past retention removed');
    }
  };
  const runNow = async (): Promise<void> => {
    try {
      await deps.leased(upkeep);
    } catch (err) {
      deps.logger.error({ err }, 'audit upkeep failed; will retry');
    }
  };
  void runNow();
  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref();
  return { digestNow, runNow, stop: () => clearInterval(timer) };
}

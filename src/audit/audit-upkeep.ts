// The audit trail's periodic work in each server process: sign a digest of the chain head, then
// apply retention. Both are idempotent single transactions on the trail, so every process may run
// them; the first to reach a new head signs it, the others find nothing to do.
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
  const runNow = async (): Promise<void> => {
    try {
      const digest = await digestNow();
      if (digest) deps.logger.info({ digestSeq: digest.digestSeq, headSeq: digest.headSeq }, 'audit digest signed');
      if (deps.retentionDays !== undefined) {
        const { removedEvents, checkpointSeq } = await deps.trail.applyRetention(deps.clock.now(), deps.retentionDays);
        if (removedEvents > 0) deps.logger.info({ removedEvents, checkpointSeq }, 'audit events past retention removed');
      }
    } catch (err) {
      deps.logger.error({ err }, 'audit upkeep failed; will retry');
    }
  };
  void runNow();
  const timer = setInterval(() => void runNow(), intervalMs);
  timer.unref();
  return { digestNow, runNow, stop: () => clearInterval(timer) };
}

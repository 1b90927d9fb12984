// GetKeyLastUsage's source: the last cryptographic use of each key, noted in memory on the hot path
// (one Map.set) and written to the store in batches. A batch commit moves the store's generation
// and so reloads every cache on every worker: batching every FLUSH_INTERVAL_MS bounds that cost.
// Bound: another worker's uses reach GetKeyLastUsage within FLUSH_INTERVAL_MS; this worker's at once.
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { KeyUsageRecord, Store } from '../store/store.js';

export const FLUSH_INTERVAL_MS = 5_000;
const TRACKING_START = 'last_usage.tracking_start';

/** The operations AWS tracks (KeyLastUsageTrackingOperation in the service model). */
export const trackedOperations: ReadonlySet<string> = new Set([
  'Decrypt', 'DeriveSharedSecret', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'ReEncrypt', 'Sign', 'Verify', 'VerifyMac',
]);

export class LastUsage {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #pending = new Map<string, KeyUsageRecord>();
  #trackingStart: Date | undefined;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Notes a successful use; cheap enough for every request. */
  note(keyId: string, operation: string, requestId: string): void {
    this.#pending.set(keyId, { keyId, operation, usedAt: this.#clock.now(), requestId });
  }

  /** The key's last use: this worker's newest if it has one not yet written, else the stored one. */
  async lastUse(keyId: string): Promise<KeyUsageRecord | undefined> {
    const stored = await this.#store.read((tx) => tx.getKeyLastUsage(keyId));
    const local = this.#pending.get(keyId);
    return local !== undefined && (stored === undefined || local.usedAt >= stored.usedAt) ? local : stored;
  }

  /** When tracking began in this store (set on first start of a version that tracks). */
  async trackingStart(): Promise<Date> {
    if (this.#trackingStart !== undefined) return this.#trackingStart;
    const now = this.#clock.now().getTime();
    const stored = await this.#store.transaction(async (tx) => {
      const existing = await tx.getMeta(TRACKING_START);
      if (existing !== undefined) return existing;
      await tx.setMeta(TRACKING_START, String(now));
      return String(now);
    });
    return (this.#trackingStart = new Date(Number(stored)));
  }

  /** Writes the noted uses in one transaction. */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    try {
      await this.#store.transaction((tx) => tx.recordKeyUsage(batch));
    } catch (err) {
      // Put them back unless newer uses arrived meanwhile; the next flush retries.
      for (const use of batch) if (!this.#pending.has(use.keyId)) this.#pending.set(use.keyId, use);
      throw err;
    }
  }

  /** Flushes every FLUSH_INTERVAL_MS until stopped; `stop` flushes once more. */
  start(logger: Logger): { stop(): Promise<void> } {
    const run = (): void => void this.flush().catch((err: unknown) => logger.error({ err }, 'writing key last-usage failed; will retry'));
    void this.trackingStart().catch((err: unknown) => logger.error({ err }, 'recording the last-usage tracking start failed'));
    const timer = setInterval(run, FLUSH_INTERVAL_MS);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await this.flush().catch((err: unknown) => logger.error({ err }, 'writing key last-usage at shutdown failed'));
      },
    };
  }
}

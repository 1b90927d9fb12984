// Builds a whole keyhold server from its parts. Everything is injected here (store, clock,
// randomness, logger), so a test can build one in-process with a test clock.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type http from 'node:http';
import type { Logger } from 'pino';
import { bootstrap, type AdminCredentials } from '../auth/bootstrap.js';
import { Identities } from '../auth/identities.js';
import { IntegratedServices } from '../auth/integrated-services.js';
import { SigV4Verifier } from '../auth/sigv4.js';
import { openRootKey } from '../backends/software/root-key-setup.js';
import type { RootKey } from '../backends/software/root-key.js';
import { SoftwareBackend } from '../backends/software/software-backend.js';
import { systemClock, systemRandom, type Clock, type Random } from '../core/clock.js';
import { CryptoPool } from '../crypto/worker-pool.js';
import { startDeletionScheduler } from '../service/deletion.js';
import { LastUsage } from '../service/last-usage.js';
import { startRotationScheduler } from '../service/rotation-scheduler.js';
import { KeyCache } from '../service/key-cache.js';
import type { ServiceDeps } from '../service/operation.js';
import { KmsService } from '../service/service.js';
import { StoreFreshness } from '../store/freshness.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import type { Store } from '../store/store.js';
import { createHttpServer } from './http-server.js';
import { Metrics } from './metrics.js';
import { startAuditUpkeep, type AuditUpkeep } from '../audit/audit-upkeep.js';
import { DIGEST_INTERVAL_MS } from '../audit/digests.js';
import { whileLeased } from '../service/scheduler-lease.js';
import { AuditSigningKey } from '../audit/signing-key.js';
import { openSqliteTrail } from '../audit/sqlite-trail.js';
import { openPgTrail } from '../audit/postgres/pg-trail.js';
import { nullAuditTrail, type AuditTrail } from '../audit/trail.js';

export interface KeyholdConfig {
  readonly dataDir: string;
  readonly region: string;
  readonly accountId: string;
  readonly rootPassphrase: string | undefined;
  readonly admin: AdminCredentials | undefined;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** The audit trail: on unless `enabled` is false (benchmarks only); how long a write waits for
   *  another process's lock before the request fails closed. */
  readonly audit?: { readonly enabled: boolean; readonly busyTimeoutMs?: number; readonly retentionDays?: number | undefined };
  /** Where keys and identities live: SQLite in the data dir (the default) or a shared PostgreSQL. */
  readonly store?: { readonly kind: 'sqlite' } | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number; readonly statementTimeoutMs?: number };
}

export interface Runtime {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

export interface OpenedStore {
  readonly store: Store;
  readonly root: RootKey;
}

/** Opens the data dir's store and proves the root key: a wrong root key throws RootKeyError
 *  before anything is written. */
export async function openStore(config: KeyholdConfig, runtime: Runtime): Promise<OpenedStore> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store: Store = config.store?.kind === 'postgres'
    ? await PostgresStore.open({
      url: config.store.url,
      ...(config.store.poolSize !== undefined && { poolSize: config.store.poolSize }),
      ...(config.store.statementTimeoutMs !== undefined && { statementTimeoutMs: config.store.statementTimeoutMs }),
      onError: (err) => runtime.logger.warn({ err }, 'PostgreSQL connection error') })
    : SqliteStore.open(join(config.dataDir, 'keyhold.db'));
  try {
    const root = await openRootKey(store, { dataDir: config.dataDir, passphrase: config.rootPassphrase }, runtime.random);
    return { store, root };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** First-start setup (default account, administrator key); run once, before serving.
 *  Returns the administrator's credentials only when they were generated now. */
export function initialise(config: KeyholdConfig, runtime: Runtime, opened: OpenedStore): Promise<AdminCredentials | undefined> {
  return bootstrap(opened.store, opened.root, runtime.clock, { accountId: config.accountId, admin: config.admin });
}

export interface App {
  readonly server: http.Server;
  readonly deps: ServiceDeps;
  readonly deletion: { runNow(): Promise<void> };
  readonly rotation: { runNow(): Promise<void> };
  /** Audit digests and retention; undefined when the trail is off. */
  readonly auditUpkeep: AuditUpkeep | undefined;
  /** Stops accepting requests, finishes those in flight, then closes the store. */
  close(): Promise<void>;
}

export interface AppOptions {
  readonly metricsText?: (metrics: Metrics) => () => Promise<{ contentType: string; text: string }>;
}

export function createApp(config: KeyholdConfig, runtime: Runtime, opened: OpenedStore, options: AppOptions = {}): App {
  const { store, root } = opened;
  const backend = new SoftwareBackend(root, runtime.random);
  const freshness = new StoreFreshness(store);
  // Threads start on first use, so a process that never signs never starts one.
  const crypto = new CryptoPool();
  const lastUsage = new LastUsage(store, runtime.clock);
  const deps: ServiceDeps = { store, backend, keys: new KeyCache(store, backend, freshness), clock: runtime.clock, random: runtime.random, region: config.region, crypto, lastUsage };
  const identities = new Identities(store, root, freshness);
  const verifier = new SigV4Verifier({
    region: config.region,
    services: ['kms', 'iam', 'sts', 'keyhold'],
    extraRegions: { iam: ['us-east-1'] },
    clock: runtime.clock,
    lookupSecret: async (accessKeyId) => (await identities.lookup(accessKeyId))?.secret,
  });
  const metrics = new Metrics(store);
  const trail = auditTrailFor(config, runtime.logger);
  const audit = trail.sink;
  // Digests and retention: a few milliseconds every DIGEST_INTERVAL_MS, and on demand
  // (KeyholdAdmin.CreateAuditDigest).
  const upkeep = config.audit?.enabled === false ? undefined : startAuditUpkeep({
    trail,
    leased: (job) => whileLeased(deps, 'audit-upkeep', DIGEST_INTERVAL_MS, job),
    signingKey: new AuditSigningKey(store, backend),
    clock: runtime.clock,
    logger: runtime.logger,
    retentionDays: config.audit?.retentionDays,
  });
  let closing = false;
  const server = createHttpServer(
    {
      service: new KmsService(deps), verifier, identities, services: new IntegratedServices(store, freshness), freshness, metrics, logger: runtime.logger, audit, trail,
      query: { store, root, identities, clock: runtime.clock, random: runtime.random, auditDigest: upkeep && (() => upkeep.digestNow()) },
    },
    {
      clock: runtime.clock,
      ...(config.tls ? { tls: config.tls } : {}),
      ready: () => !closing,
      metricsText: options.metricsText?.(metrics) ?? (async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() })),
    },
  );
  const deletion = startDeletionScheduler(deps, runtime.logger);
  const rotation = startRotationScheduler(deps, runtime.logger);
  const lastUsageWriter = lastUsage.start(runtime.logger);
  return {
    server,
    deps,
    deletion,
    rotation,
    auditUpkeep: upkeep,
    async close() {
      closing = true;
      deletion.stop();
      rotation.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections would hold the close open until they time out: drop them as soon
      // as they are idle, and give requests still running a bounded time to finish.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearInterval(sweep);
      clearTimeout(deadline);
      await crypto.close();
      await lastUsageWriter.stop(); // after the last request, so its use is kept
      upkeep?.stop();
      await trail.close();
      await store.close();
    },
  };
}

/** How long SIGTERM waits for requests in flight before cutting their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

export const defaultRuntime = (logger: Logger): Runtime => ({ clock: systemClock, random: systemRandom, logger });

/** Where this process's audit trail is: audit.db in the data dir, the cluster's PostgreSQL database,
 *  or nowhere with KEYHOLD_AUDIT=off (bench only). */
function auditTrailFor(config: KeyholdConfig, logger: Logger): AuditTrail {
  if (config.audit?.enabled === false) return nullAuditTrail;
  if (config.store?.kind === 'postgres') return openPgTrail({ url: config.store.url, logger });
  return openSqliteTrail({ dataDir: config.dataDir, busyTimeoutMs: config.audit?.busyTimeoutMs ?? 5000, logger });
}

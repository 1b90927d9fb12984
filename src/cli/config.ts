// `keyhold serve` settings from flags, then environment, then defaults. Refuses plain HTTP on a
// non-loopback address unless --insecure-http says so.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { KeyholdConfig } from '../server/app.js';

export interface ServeConfig extends KeyholdConfig {
  readonly host: string;
  readonly port: number;
  readonly workers: number;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const serveUsage = `Usage: keyhold serve [options]
  --host HOST          address to listen on (KEYHOLD_HOST, default 127.0.0.1)
  --port PORT          port (KEYHOLD_PORT, default 4599)
  --data-dir DIR       where the store and root key live (KEYHOLD_DATA_DIR, default ./.keyhold)
  --region REGION      the AWS region keyhold answers as (KEYHOLD_REGION, default us-east-1)
  --tls-cert FILE      PEM certificate: serve HTTPS, TLS 1.2+ (KEYHOLD_TLS_CERT)
  --tls-key FILE       PEM private key for --tls-cert (KEYHOLD_TLS_KEY)
  --insecure-http      allow plain HTTP on a non-loopback address
  --workers N          server processes (KEYHOLD_WORKERS, default: one per core)
  --log-level LEVEL    pino level (KEYHOLD_LOG_LEVEL, default info)
  --store KIND         sqlite (in the data dir) or postgres (KEYHOLD_STORE, default sqlite);
                       with postgres the audit trail is in the database too; a root
                       key file stays in the data dir either way
  --postgres-url URL   postgres://user:password@host:port/database (KEYHOLD_POSTGRES_URL);
                       TLS through the URL: ?sslmode=verify-full&sslrootcert=FILE
  --postgres-pool-size N            key-store connections per process (KEYHOLD_POSTGRES_POOL_SIZE, 10)
  --postgres-statement-timeout-ms N statement_timeout, also the bound on waiting for the cluster's
                                    write lock (KEYHOLD_POSTGRES_STATEMENT_TIMEOUT_MS, 10000; the
                                    URL's ?statement_timeout= wins)
Environment only: KEYHOLD_ACCOUNT_ID, KEYHOLD_ROOT_PASSPHRASE,
  KEYHOLD_ADMIN_ACCESS_KEY_ID and KEYHOLD_ADMIN_SECRET_ACCESS_KEY; KEYHOLD_AUDIT_BUSY_TIMEOUT_MS
  (how long an audit write waits for a lock before the request fails, default 5000);
  KEYHOLD_AUDIT_RETENTION_DAYS (remove audit events older than this; default: keep all);
  KEYHOLD_AUDIT=off (benchmarks only: requests are then not recorded).`;

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

export function parseServeConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServeConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' }, region: { type: 'string' },
        'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'insecure-http': { type: 'boolean' },
        workers: { type: 'string' }, 'log-level': { type: 'string' },
        store: { type: 'string' }, 'postgres-url': { type: 'string' },
        'postgres-pool-size': { type: 'string' }, 'postgres-statement-timeout-ms': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n${serveUsage}`);
  }
  const host = values.host ?? env.KEYHOLD_HOST ?? '127.0.0.1';
  const port = integer('port', values.port ?? env.KEYHOLD_PORT ?? '4599', 0, 65535);
  const workers = integer('workers', values.workers ?? env.KEYHOLD_WORKERS ?? String(availableParallelism()), 1, 64);
  const region = values.region ?? env.KEYHOLD_REGION ?? 'us-east-1';
  if (!/^([a-z]+-){2,3}\d+$/.test(region)) throw new ConfigError(`--region ${region} is not an AWS region name (e.g. us-east-1)`);
  const accountId = env.KEYHOLD_ACCOUNT_ID ?? '000000000000';
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError('KEYHOLD_ACCOUNT_ID must be 12 digits');
  const certFile = values['tls-cert'] ?? env.KEYHOLD_TLS_CERT;
  const keyFile = values['tls-key'] ?? env.KEYHOLD_TLS_KEY;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new ConfigError('--tls-cert and --tls-key go together');
  if (certFile === undefined && !isLoopback(host) && values['insecure-http'] !== true) {
    throw new ConfigError(`refusing plain HTTP on ${host}: serve TLS with --tls-cert/--tls-key, or pass --insecure-http`);
  }
  const adminId = env.KEYHOLD_ADMIN_ACCESS_KEY_ID;
  const adminSecret = env.KEYHOLD_ADMIN_SECRET_ACCESS_KEY;
  if ((adminId === undefined) !== (adminSecret === undefined)) {
    throw new ConfigError('KEYHOLD_ADMIN_ACCESS_KEY_ID and KEYHOLD_ADMIN_SECRET_ACCESS_KEY go together');
  }
  if (adminId !== undefined && !/^[A-Z0-9]{16,128}$/.test(adminId)) throw new ConfigError('KEYHOLD_ADMIN_ACCESS_KEY_ID must be 16–128 uppercase letters and digits');
  if (adminSecret !== undefined && adminSecret.length < 16) throw new ConfigError('KEYHOLD_ADMIN_SECRET_ACCESS_KEY must be at least 16 characters');
  return {
    host, port, workers, region, accountId,
    dataDir: resolve(values['data-dir'] ?? env.KEYHOLD_DATA_DIR ?? '.keyhold'),
    logLevel: values['log-level'] ?? env.KEYHOLD_LOG_LEVEL ?? 'info',
    rootPassphrase: env.KEYHOLD_ROOT_PASSPHRASE,
    admin: adminId !== undefined && adminSecret !== undefined ? { accessKeyId: adminId, secretAccessKey: adminSecret } : undefined,
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined,
    audit: auditSetting(env),
    store: storeSetting(values.store ?? env.KEYHOLD_STORE, values['postgres-url'] ?? env.KEYHOLD_POSTGRES_URL, {
      poolSize: values['postgres-pool-size'] ?? env.KEYHOLD_POSTGRES_POOL_SIZE,
      statementTimeoutMs: values['postgres-statement-timeout-ms'] ?? env.KEYHOLD_POSTGRES_STATEMENT_TIMEOUT_MS,
    }),
  };
}

function storeSetting(kind: string | undefined, postgresUrl: string | undefined, tuning: { poolSize: string | undefined; statementTimeoutMs: string | undefined }): NonNullable<KeyholdConfig['store']> {
  if (kind === undefined || kind === 'sqlite') {
    if (postgresUrl !== undefined) throw new ConfigError('--postgres-url needs --store postgres');
    if (tuning.poolSize !== undefined || tuning.statementTimeoutMs !== undefined) throw new ConfigError('--postgres-pool-size and --postgres-statement-timeout-ms need --store postgres');
    return { kind: 'sqlite' };
  }
  if (kind !== 'postgres') throw new ConfigError(`--store ${kind}: expected sqlite or postgres`);
  if (postgresUrl === undefined) throw new ConfigError('--store postgres needs --postgres-url (or KEYHOLD_POSTGRES_URL)');
  // The URL may hold a password: errors name the setting, never its value.
  if (!/^postgres(ql)?:\/\//.test(postgresUrl)) throw new ConfigError('--postgres-url must be a postgres:// URL');
  return {
    kind: 'postgres', url: postgresUrl,
    ...(tuning.poolSize !== undefined && { poolSize: integer('postgres-pool-size', tuning.poolSize, 1, 1000) }),
    ...(tuning.statementTimeoutMs !== undefined && { statementTimeoutMs: integer('postgres-statement-timeout-ms', tuning.statementTimeoutMs, 100, 600_000) }),
  };
}

/** KEYHOLD_AUDIT=off exists for `npm run bench`'s comparison only: requests then go unrecorded. */
function auditSetting(env: NodeJS.ProcessEnv): { enabled: boolean; busyTimeoutMs: number; retentionDays: number | undefined } {
  const setting = env.KEYHOLD_AUDIT ?? 'on';
  if (setting !== 'on' && setting !== 'off') throw new ConfigError('KEYHOLD_AUDIT must be on or off');
  const retention = env.KEYHOLD_AUDIT_RETENTION_DAYS;
  return {
    enabled: setting === 'on',
    busyTimeoutMs: integer('KEYHOLD_AUDIT_BUSY_TIMEOUT_MS', env.KEYHOLD_AUDIT_BUSY_TIMEOUT_MS ?? '5000', 1, 600_000),
    retentionDays: retention === undefined ? undefined : integer('KEYHOLD_AUDIT_RETENTION_DAYS', retention, 1, 36_500),
  };
}

function integer(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`--${name} must be an integer from ${min} to ${max}, not '${text}'`);
  return n;
}

// Bench settings: one place for the figures every measurement shares, overridable from the environment.
import { availableParallelism } from 'node:os';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

export const config = {
  /** Open connections the load generator keeps busy. */
  connections: num('BENCH_CONNECTIONS', 32),
  /** Seconds of discarded load before each measurement, so JIT and pools are warm. */
  warmupSeconds: num('BENCH_WARMUP', 3),
  /** Seconds each measurement lasts. Warm-up + measurement must stay well under the
   *  5-minute SigV4 validity window, since requests are signed once just before. */
  durationSeconds: num('BENCH_DURATION', 10),
  /** Server processes for keyhold and for the ceiling alike: one per core. */
  workers: num('BENCH_WORKERS', availableParallelism()),
  /** Distinct pre-signed requests the generator cycles through. */
  signedRequests: num('BENCH_SIGNED_REQUESTS', 300),
  /** wrk threads; the generator shares the cores with the server, so keep it small. */
  wrkThreads: num('BENCH_WRK_THREADS', 1),
  /** `node` forces the built-in generator even when wrk is installed. */
  loadgen: process.env['BENCH_LOADGEN'] === 'node' ? 'node' : 'auto',
  /** When set, keyhold and the ceiling run under `node --cpu-prof`, writing to <dir>/keyhold and <dir>/ceiling. */
  profileDir: process.env['BENCH_PROFILE'],
  /** Which parts run (comma-separated): symmetric, keyed, authorization, responsiveness, audit, single,
   *  postgres. Unset, run.ts's `--store postgres` runs only postgres. */
  suitesSetting: process.env['BENCH_SUITES'],
  suites: new Set((process.env['BENCH_SUITES'] ?? 'symmetric,keyed,authorization,responsiveness,audit,single').split(',').map((s) => s.trim())),
  /** A PostgreSQL server where the bench may create (and then drops) a fresh database. */
  postgresAdminUrl: process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  region: 'us-east-1',
} as const;

/** Bench-only credentials, in the shape AWS uses (AKIA + 16, secret of 40). */
export const benchCredentials = {
  accessKeyId: 'AKIABENCHKEYHOLD0001',
  secretAccessKey: 'benchBENCHbenchBENCHbenchBENCHbenchBENCH',
} as const;
